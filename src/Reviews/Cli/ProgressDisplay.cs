using System.Globalization;
using Reviews.Importer;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Reviews.Cli;

/// <summary>
/// Shows an import's progress until stopped: live bars per file on a terminal (rows, rows/s, bytes read of
/// the total, ETA), plain log lines otherwise (a line as each step starts and ends, and every few seconds).
/// </summary>
public static class ProgressDisplay
{
    public static Task RunAsync(ImportProgress progress, TextWriter output, CancellationToken stop) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive
            ? LiveAsync(progress, stop)
            : LogAsync(progress, output, TimeSpan.FromSeconds(5), stop);

    static Task LiveAsync(ImportProgress progress, CancellationToken stop)
    {
        var steps = new Dictionary<ProgressTask, ProgressStep>();
        string Bytes(ProgressTask task) => steps.TryGetValue(task, out var step) && step.TotalBytes > 0
            ? $"{step.Bytes / 1e6:N0} of {step.TotalBytes / 1e6:N0} MB" : "";
        string Time(ProgressTask task) => !steps.TryGetValue(task, out var step) ? ""
            : step.Done ? $"{step.Elapsed.TotalSeconds:0.0} s"
            : step.TotalBytes > 0 ? $"ETA {Eta(step):h\\:mm\\:ss}" : $"{step.Elapsed.TotalSeconds:0} s";

        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new TextColumn(Bytes), new TextColumn(Time), new SpinnerColumn())
            .StartAsync(async context =>
            {
                while (true)
                {
                    var stopping = stop.IsCancellationRequested;
                    foreach (var step in progress.Steps())
                    {
                        var task = steps.FirstOrDefault(s => s.Value == step).Key;
                        if (task is null)
                        {
                            task = context.AddTask(Markup.Escape(step.Name), maxValue: Math.Max(1, step.TotalBytes));
                            task.IsIndeterminate = step.TotalBytes == 0;
                            steps[task] = step;
                        }
                        if (task.IsFinished)
                            continue;
                        task.Value = step.TotalBytes == 0 ? 0 : step.Bytes;
                        if (step.TotalBytes > 0)
                            task.Description = Markup.Escape($"{step.Name}  {step.Rows:N0} rows, {Rate(step):N0} rows/s");
                        if (step.Done || stopping)
                        {
                            task.IsIndeterminate = false;
                            task.Value = task.MaxValue;
                            task.StopTask();
                        }
                    }
                    if (stopping)
                        return;
                    await Task.Delay(200, CancellationToken.None);
                }
            });
    }

    /// <summary>A column of text computed from the task.</summary>
    sealed class TextColumn(Func<ProgressTask, string> text) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) => new Text(text(task));
    }

    static async Task LogAsync(ImportProgress progress, TextWriter output, TimeSpan every, CancellationToken stop)
    {
        var reported = new Dictionary<ProgressStep, (bool Done, TimeSpan At)>();
        while (true)
        {
            var stopping = stop.IsCancellationRequested;
            foreach (var step in progress.Steps())
            {
                var done = step.Done;
                if (!reported.TryGetValue(step, out var last))
                    output.WriteLine($"{Now()} {step.Name}…");
                else if (done && !last.Done)
                    output.WriteLine($"{Now()} {step.Name}: done in {step.Elapsed.TotalSeconds:0.0} s{(step.TotalBytes > 0 ? $", {step.Rows:N0} rows" : "")}");
                else if (!done && step.Elapsed - last.At >= every)
                    output.WriteLine($"{Now()} {step.Name}: {Status(step)}");
                else
                    continue;
                reported[step] = (done, step.Elapsed);
            }
            if (stopping)
                return;
            await Task.Delay(200, CancellationToken.None);
        }
    }

    static string Status(ProgressStep step)
    {
        if (step.TotalBytes == 0)
            return $"running for {step.Elapsed.TotalSeconds:0} s";
        return $"{step.Rows:N0} rows, {Rate(step):N0} rows/s, {step.Bytes / 1e9:0.00} of {step.TotalBytes / 1e9:0.00} GB, ETA {Eta(step):h\\:mm\\:ss}";
    }

    static TimeSpan Eta(ProgressStep step)
    {
        var share = step.Bytes / (double)Math.Max(1, step.TotalBytes);
        return share > 0 ? TimeSpan.FromSeconds(step.Elapsed.TotalSeconds * (1 - share) / share) : TimeSpan.Zero;
    }

    static double Rate(ProgressStep step) => step.Rows / Math.Max(0.001, step.Elapsed.TotalSeconds);

    static string Now() => DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}

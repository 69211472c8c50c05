using System.Text.Json;

namespace Reviews.Importer;

/// <summary>The import's summary: per file rows read, loaded and rejected by reason; the time of each phase.</summary>
public static class ImportReport
{
    public static void Print(ImportResult result, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{"file",-28}{"read",12}{"loaded",12}{"rejected",10}  reasons");
        foreach (var (name, counts) in result.Files)
            output.WriteLine($"{name,-28}{counts.Read,12:N0}{counts.Loaded,12:N0}{counts.Rejected,10:N0}  " +
                string.Join(", ", counts.Reasons.Select(r => $"{r.Key} {r.Value:N0}")));
        output.WriteLine("phases: " + string.Join(", ", result.Phases.Select(p => $"{p.Key} {p.Value:0.00} s")));
        output.WriteLine($"total {result.Phases.Values.Sum():0.0} s, peak memory {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MB");
        output.WriteLine(result.Rejected == 0
            ? "Every row loaded."
            : $"{result.Rejected:N0} rows were not loaded; each is listed with its reason in {result.RejectsPath}");
    }

    public static async Task WriteJsonAsync(ImportResult result, string path, CancellationToken ct)
    {
        var summary = new Summary(
            result.Files.ToDictionary(f => f.Key, f => new FileSummary(f.Value.Read, f.Value.Loaded, f.Value.Rejected, f.Value.Reasons)),
            result.Phases);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, summary, SummaryJson.Default.Summary, ct);
    }
}

using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Npgsql;
using nietras.SeparatedValues;
using Reviews.LegacyCsv;

namespace Reviews.Importer;

/// <summary>
/// Streams one CSV file into its table: a reader task parses and checks rows while this task writes the
/// accepted ones to a binary COPY, joined by a small bounded queue, so parsing overlaps with PostgreSQL's
/// ingest and memory stays flat whatever the file size. The few batches in flight are reused, rows and text.
/// </summary>
public static class FileLoader
{
    const int BatchSize = 2048;

    sealed class Batch<TRow>
    {
        public TRow[] Rows { get; } = new TRow[BatchSize];
        public int Count { get; set; }
        public TextBuffer Text { get; } = new();
    }

    public static async Task<FileCounts> LoadAsync<TRow>(ITableFile<TRow> file, string path, NpgsqlConnection connection,
        RejectReport rejects, ProgressStep step, CancellationToken ct)
    {
        var counts = new FileCounts();
        var queue = Channel.CreateBounded<Batch<TRow>>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var free = new ConcurrentQueue<Batch<TRow>>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reader = Task.Run(() => Parse(file, path, counts, rejects, step, queue.Writer, free, stop.Token), stop.Token);

        await using var copy = await connection.BeginBinaryImportAsync(file.Copy, ct);
        try
        {
            await foreach (var batch in queue.Reader.ReadAllAsync(ct))
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    copy.StartRow();
                    file.Write(copy, batch.Rows[i], batch.Text);
                }
                free.Enqueue(batch);
            }
            await reader;
            counts.Loaded = (long)await copy.CompleteAsync(ct);
        }
        catch
        {
            // Stop the reader first; where it failed on its own, its error is the one to report.
            await stop.CancelAsync();
            try
            {
                await reader;
            }
            catch (OperationCanceledException)
            {
            }
            throw;
        }
        finally
        {
            while (free.TryDequeue(out var batch))
                batch.Text.Release();
        }
        return counts;
    }

    static void Parse<TRow>(ITableFile<TRow> file, string path, FileCounts counts, RejectReport rejects, ProgressStep step,
        ChannelWriter<Batch<TRow>> queue, ConcurrentQueue<Batch<TRow>> free, CancellationToken ct)
    {
        try
        {
            // Strict UTF-8: a broken byte fails the import rather than being replaced with U+FFFD.
            var bytes = new CountingStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), step);
            using var text = new StreamReader(bytes, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, 1 << 16);
            using var csv = Sep.Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = false }).From(text);

            var columns = file.File.ColumnCount;
            if (!csv.MoveNext() || csv.Current.Span.ToString() is var header && header != file.File.Header)
                throw new ImportException($"{file.File.Name}: the first line must be the header \"{file.File.Header}\".");

            Batch<TRow> Next()
            {
                var next = free.TryDequeue(out var reused) ? reused : new Batch<TRow>();
                next.Count = 0;
                next.Text.Clear();
                return next;
            }
            var batch = Next();
            var lastLine = 1;
            while (true)
            {
                try
                {
                    if (!csv.MoveNext())
                        break;
                }
                catch (InvalidDataException)
                {
                    // Sep could not close a quoted field before the end of the file.
                    counts.Read++;
                    Rejected(file, lastLine + 1, "", UnclosedQuote, counts, rejects);
                    break;
                }
                var row = csv.Current;
                lastLine = row.LineNumberToExcl - 1;
                if (row.ColCount == 1 && row.Span.IsEmpty)
                    continue; // a blank line holds no row
                counts.Read++;
                if (new CsvField(row[row.ColCount - 1].Span).IsUnclosedQuote)
                {
                    // A quoted field still open at the end of the row can only mean the file ends inside it.
                    Rejected(file, row, UnclosedQuote, counts, rejects);
                    continue;
                }
                if (row.ColCount != columns)
                {
                    Rejected(file, row, new(RejectReason.FieldCount, $"{row.ColCount} fields, expected {columns}"), counts, rejects);
                    continue;
                }
                if (!file.TryParse(row, batch.Text, out var value, out var reject))
                {
                    Rejected(file, row, reject, counts, rejects);
                    continue;
                }
                batch.Rows[batch.Count++] = value;
                if (batch.Count == BatchSize)
                {
                    step.SetRows(counts.Read);
                    Send(queue, batch, ct);
                    batch = Next();
                }
            }
            if (batch.Count > 0)
                Send(queue, batch, ct);
            step.SetRows(counts.Read);
            queue.Complete();
        }
        catch (DecoderFallbackException)
        {
            var failure = new ImportException($"{file.File.Name} is not valid UTF-8 (a broken byte sequence); fix or re-export it as UTF-8.");
            queue.Complete(failure);
            throw failure;
        }
        catch (Exception e)
        {
            queue.Complete(e);
            throw;
        }
    }

    static void Send<TRow>(ChannelWriter<Batch<TRow>> queue, Batch<TRow> batch, CancellationToken ct)
    {
        if (!queue.TryWrite(batch))
            queue.WriteAsync(batch, ct).AsTask().GetAwaiter().GetResult();
    }

    static readonly Reject UnclosedQuote = new(RejectReason.UnterminatedQuote, "a quoted field is not closed before the end of the file");

    /// <summary>A row not loaded: reported at the line it starts on, under its first field.</summary>
    static void Rejected<TRow>(ITableFile<TRow> file, SepReader.Row row, Reject reject, FileCounts counts, RejectReport rejects) =>
        Rejected(file, row.LineNumberFrom, new CsvField(row[0].Span).ToString(), reject, counts, rejects);

    static void Rejected<TRow>(ITableFile<TRow> file, long line, string id, Reject reject, FileCounts counts, RejectReport rejects)
    {
        counts.Reasons[reject.Reason] = counts.Reasons.GetValueOrDefault(reject.Reason) + 1;
        rejects.Add(file.File.Name, line, id, reject);
    }
}

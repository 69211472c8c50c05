using Npgsql;
using NpgsqlTypes;

namespace Reviews.Importer;

/// <summary>
/// The aggregates the API keeps (product_stats, characteristic_stats), summed while the rows stream past:
/// the importer already holds each review's product, rating and reported flag and each rating's
/// characteristic, so this costs a few array increments a row instead of a join of the whole tables
/// afterwards. Arrays are indexed by id (dense in the legacy set); ids beyond them go to dictionaries.
/// </summary>
public sealed class Aggregates
{
    const int Stride = 7; // rating 1…5, not recommended, recommended
    const long DenseLimit = 1L << 30;

    readonly PagedArray<int> products = new(), sums = new(), counts = new();
    readonly Dictionary<long, int[]> sparseProducts = [];
    readonly Dictionary<long, (int Sum, int Count)> sparseCharacteristics = [];
    readonly IdSet reported = new();

    /// <summary>A loaded review: counted unless reported (reported reviews are hidden from the meta).</summary>
    public void AddReview(long reviewId, long productId, int rating, bool recommend, bool isReported)
    {
        if (isReported)
        {
            reported.Add(reviewId);
            return;
        }
        if (productId < DenseLimit)
        {
            products[productId * Stride + rating - 1]++;
            products[productId * Stride + (recommend ? 6 : 5)]++;
        }
        else
        {
            var row = sparseProducts.TryGetValue(productId, out var r) ? r : sparseProducts[productId] = new int[Stride];
            row[rating - 1]++;
            row[recommend ? 6 : 5]++;
        }
    }

    /// <summary>A loaded rating: added to its characteristic unless its review is reported.</summary>
    public void AddRating(long characteristicId, long reviewId, int value)
    {
        if (reported.Contains(reviewId))
            return;
        if (characteristicId < DenseLimit)
        {
            sums[characteristicId] += value;
            counts[characteristicId]++;
        }
        else
        {
            var (sum, count) = sparseCharacteristics.GetValueOrDefault(characteristicId);
            sparseCharacteristics[characteristicId] = (sum + value, count + 1);
        }
    }

    public async Task WriteAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY product_stats (product_id, rating_1, rating_2, rating_3, rating_4, rating_5, recommended_false, recommended_true) FROM STDIN (FORMAT BINARY)", ct))
        {
            void Write(long productId, ReadOnlySpan<int> row)
            {
                if (row[5] + row[6] == 0)
                    return; // no non-reported review
                copy.StartRow();
                copy.Write(productId, NpgsqlDbType.Bigint);
                foreach (var count in row)
                    copy.Write((long)count, NpgsqlDbType.Bigint);
            }
            Span<int> counted = stackalloc int[Stride];
            for (long product = 1; product < products.Length / Stride; product++)
            {
                for (var i = 0; i < Stride; i++)
                    counted[i] = products.Get(product * Stride + i);
                Write(product, counted);
            }
            foreach (var (product, row) in sparseProducts)
                Write(product, row);
            await copy.CompleteAsync(ct);
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY characteristic_stats (characteristic_id, ratings_sum, ratings_count) FROM STDIN (FORMAT BINARY)", ct))
        {
            void Write(long characteristicId, long sum, long count)
            {
                copy.StartRow();
                copy.Write(characteristicId, NpgsqlDbType.Bigint);
                copy.Write(sum, NpgsqlDbType.Bigint);
                copy.Write(count, NpgsqlDbType.Bigint);
            }
            for (long id = 1; id < counts.Length; id++)
                if (counts.Get(id) is > 0 and var count)
                    Write(id, sums.Get(id), count);
            foreach (var (id, (sum, count)) in sparseCharacteristics)
                Write(id, sum, count);
            await copy.CompleteAsync(ct);
        }
    }
}

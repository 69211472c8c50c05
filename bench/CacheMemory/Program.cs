// Fills a response cache bounded at 256 MiB well past its bound with answers of list-like sizes, then compares
// the cache's own accounting (JSON bytes + a fixed allowance per entry) with what the managed heap really grew by.
//   dotnet run -c Release --project bench/CacheMemory
using Microsoft.Extensions.Options;
using Reviews.Cache;
using Reviews.Store;

var cache = new ResponseCache(Options.Create(new CacheOptions { SizeMb = 256 }));
var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
var random = new Random(1);
for (var product = 0; product < 300_000; product++)
{
    var length = random.Next(300, 4300);
    var key = new CacheKey(product, product % 2 == 0 ? null : ReviewSort.Relevant, 1, 5);
    await cache.GetOrReadAsync(key, () => Task.FromResult(new byte[length]));
    if (product % 50_000 == 0)
        await Task.Delay(200); // compaction runs in the background
}
await Task.Delay(1000);
var heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
Console.WriteLine($"bound {cache.SizeLimit >> 20} MiB; accounted {cache.Size / 1048576.0:F1} MiB; " +
    $"managed heap grew {heapGrowth / 1048576.0:F1} MiB ({(double)heapGrowth / cache.Size:P1} of the accounted); " +
    $"process RSS {Environment.WorkingSet >> 20} MiB");

using Reviews.Importer;

namespace Reviews.Tests.Importer;

public sealed class IdMapTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(5_774_952, 1_000_011)]
    [InlineData(40_000_000_000, 7)]              // an id past the dense range
    [InlineData(3, 9_000_000_000)]               // a product id past int
    [InlineData(long.MaxValue, long.MaxValue)]
    public void An_id_maps_to_its_product_once(long id, long product)
    {
        var map = new IdMap();
        Assert.True(map.TryAdd(id, product));
        Assert.False(map.TryAdd(id, product + 1));
        Assert.Equal(product, map.Get(id));
        Assert.False(map.Contains(id == 1 ? 2 : id - 1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(19_327_575)]
    [InlineData(long.MaxValue)]
    public void A_set_takes_an_id_once(long id)
    {
        var set = new IdSet();
        Assert.True(set.Add(id));
        Assert.False(set.Add(id));
        Assert.True(set.Add(id - 1 == 0 ? 2 : id - 1));
    }
}

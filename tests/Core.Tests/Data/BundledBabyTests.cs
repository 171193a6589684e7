using Spumr.Core.Data;

namespace Spumr.Core.Tests.Data;

/// <summary>The bundled Amazon Baby data set, loaded once for the class.</summary>
public sealed class BundledBabyFixture
{
    public MmrecDataset Data { get; } = MmrecDatasetReader.Load(RepositoryPaths.Data("amazon-baby"));
}

public sealed class BundledBabyTests(BundledBabyFixture fixture) : IClassFixture<BundledBabyFixture>
{
    private readonly MmrecDataset _data = fixture.Data;

    [Fact]
    public void Has_the_documented_counts_and_splits()
    {
        Assert.Equal("baby", _data.Name);
        Assert.Equal(19_445, _data.UserCount);
        Assert.Equal(7_050, _data.ItemCount);
        Assert.Equal(160_792, _data.Interactions.Count);
        Assert.Equal(118_551, _data.Interactions.CountIn(SplitLabel.Train));
        Assert.Equal(20_559, _data.Interactions.CountIn(SplitLabel.Validation));
        Assert.Equal(21_682, _data.Interactions.CountIn(SplitLabel.Test));
        Assert.Equal(118_551, _data.Train.NonZeroCount);
        Assert.Equal(20_559, _data.Validation.NonZeroCount);
        Assert.Equal(21_682, _data.Test.NonZeroCount);
    }

    [Fact]
    public void Has_image_256_and_text_128_unit_norm_features()
    {
        Assert.Equal(["image", "text"], _data.Features.Select(f => f.Modality));
        Assert.Equal([256, 128], _data.Features.Select(f => f.Width));
        foreach (var f in _data.Features)
        {
            Assert.Equal(7_050, f.Rows);
            var norm = System.Numerics.Tensors.TensorPrimitives.Norm(f.Row(1234));
            Assert.Equal(1.0, norm, 1e-4);
        }
    }

    [Fact]
    public void Has_external_ids_for_every_user_and_item()
    {
        Assert.Equal(19_445, _data.UserExternalIds!.Count);
        Assert.Equal(7_050, _data.ItemExternalIds!.Count);
        Assert.Equal("A1HK2FQW6KXQB2", _data.UserExternalId(0));
        Assert.Equal("097293751X", _data.ItemExternalId(0));
    }
}

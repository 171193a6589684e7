using Spumr.Core.Evaluation;

namespace Spumr.Core.Tests.Evaluation;

public sealed class EarlyStoppingTests
{
    [Fact]
    public void Only_a_strictly_greater_value_is_an_improvement()
    {
        var stop = new EarlyStopping(patience: 5);
        Assert.True(stop.Observe(0, 0.10));
        Assert.False(stop.Observe(1, 0.10));  // equal: not an improvement
        Assert.False(stop.Observe(2, 0.05));
        Assert.True(stop.Observe(3, 0.1000001));
        Assert.Equal(3, stop.BestEpoch);
        Assert.Equal(0.1000001, stop.BestValue);
        Assert.False(stop.Observe(4, double.NaN));
        Assert.Equal(3, stop.BestEpoch);
    }

    [Fact]
    public void Stops_after_patience_epochs_in_a_row_without_improvement()
    {
        var stop = new EarlyStopping(patience: 3);
        Assert.False(stop.ShouldStop);
        stop.Observe(1, 0.2);
        stop.Observe(2, 0.1);   // 1 without improvement
        stop.Observe(3, 0.2);   // 2 (equal is not better)
        Assert.False(stop.ShouldStop);
        stop.Observe(4, 0.25);  // improvement resets the count
        Assert.Equal(0, stop.ObservationsWithoutImprovement);
        stop.Observe(5, 0.1);
        stop.Observe(6, 0.1);
        Assert.False(stop.ShouldStop);
        stop.Observe(7, 0.1);   // third in a row
        Assert.True(stop.ShouldStop);
        Assert.Equal(4, stop.BestEpoch);
        Assert.Equal(0.25, stop.BestValue);
    }

    [Fact]
    public void Default_patience_is_twenty_and_the_best_epoch_is_the_first_of_equal_values()
    {
        var stop = new EarlyStopping();
        Assert.Equal(20, stop.Patience);
        Assert.Equal(-1, stop.BestEpoch);
        stop.Observe(10, 0.3);
        for (var epoch = 11; epoch < 30; epoch++)
        {
            stop.Observe(epoch, 0.3);
            Assert.False(stop.ShouldStop);
        }

        stop.Observe(30, 0.3);
        Assert.True(stop.ShouldStop);
        Assert.Equal(10, stop.BestEpoch);
    }

    [Fact]
    public void Rejects_epochs_that_do_not_increase_and_non_positive_patience()
    {
        var stop = new EarlyStopping();
        stop.Observe(3, 0.1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => stop.Observe(3, 0.2));
        Assert.Contains("Epoch 3 observed after epoch 3", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(0));
    }
}

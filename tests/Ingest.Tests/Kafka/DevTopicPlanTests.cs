using Spumr.ServiceDefaults.Kafka;

namespace Spumr.Ingest.Tests.Kafka;

public sealed class DevTopicPlanTests
{
    [Fact]
    public void Default_plan_holds_the_bundled_data_with_room_to_spare()
    {
        var plan = DevTopicPlan.Default().ToDictionary(t => t.Name);

        Assert.Equal(SpumrTopics.All.Order(), plan.Keys.Order());
        var interactionCapacity = plan[SpumrTopics.RawInteractions].Partitions * DevTopicPlan.PartitionLogBytes;
        Assert.True(interactionCapacity >= 1.5 * DevTopicPlan.LargestInteractionCount * DevTopicPlan.InteractionRecordBytes);
        var featureCapacity = plan[SpumrTopics.RawItemFeatures].Partitions * DevTopicPlan.PartitionLogBytes;
        Assert.True(featureCapacity >= 1.5 * DevTopicPlan.FeatureBytes(DevTopicPlan.LargestFeatureItemCount, DevTopicPlan.PaperWidths));
        Assert.Equal(plan[SpumrTopics.RawInteractions].Partitions, plan[SpumrTopics.Interactions].Partitions);
        Assert.Equal(plan[SpumrTopics.RawItemFeatures].Partitions, plan[SpumrTopics.ItemFeatures].Partitions);
        Assert.All(plan.Values, t => Assert.False(string.IsNullOrWhiteSpace(t.Reason)));
    }

    [Fact]
    public void The_arithmetic_is_what_the_docs_say()
    {
        // docs/streaming.md: 296,337 x 256 B = 76 MB -> 32 partitions; Baby at 4096 + 384 = 414 MB -> 128.
        var plan = DevTopicPlan.Default().ToDictionary(t => t.Name, t => t.Partitions);

        Assert.Equal(32, plan[SpumrTopics.RawInteractions]);
        Assert.Equal(128, plan[SpumrTopics.RawItemFeatures]);
        Assert.Equal(16, DevTopicPlan.PartitionsFor(DevTopicPlan.FeatureBytes(7050, DevTopicPlan.BundledWidths)));
    }

    [Theory]
    [InlineData(0L, 4)]
    [InlineData(5L * 1024 * 1024, 4)]
    [InlineData(20L * 1024 * 1024, 8)]
    [InlineData(100L * 1024 * 1024, 32)]
    public void Partitions_are_a_power_of_two_with_headroom(long bytes, int expected)
    {
        Assert.Equal(expected, DevTopicPlan.PartitionsFor(bytes));
    }
}

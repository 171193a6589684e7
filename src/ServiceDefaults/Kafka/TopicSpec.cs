namespace Spumr.ServiceDefaults.Kafka;

/// <summary>A topic to create and why it has that many partitions.</summary>
public sealed record TopicSpec(string Name, int Partitions, string Reason = "");

using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Spumr.Core.Events;

namespace Spumr.ServiceDefaults.Kafka;

/// <summary>
/// The one shape of a dead letter (docs/events.md): the source message's key and value, with the
/// reason and the source's topic, partition and offset in headers.
/// </summary>
public static class DeadLetterMessage
{
    /// <param name="code">The reason code, such as <c>malformed-json</c> or <c>processing-error</c>.</param>
    /// <param name="reason">One sentence for people.</param>
    /// <param name="field">The field at fault, when known.</param>
    /// <param name="maxValueBytes">A longer value is cut to this many bytes (the original size goes in a header),
    /// so the dead letter stays under the broker's message limit.</param>
    public static Message<byte[]?, byte[]?> Create(ConsumeResult<byte[]?, byte[]?> source, string code, string reason, string? field, int maxValueBytes)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxValueBytes);
        var value = source.Message.Value;
        var headers = new Headers
        {
            { EventHeaders.Reason, Encoding.UTF8.GetBytes(code) },
            { EventHeaders.ReasonMessage, Encoding.UTF8.GetBytes(reason) },
            { EventHeaders.SourceTopic, Encoding.UTF8.GetBytes(source.Topic) },
            { EventHeaders.SourcePartition, Encoding.UTF8.GetBytes(source.Partition.Value.ToString(CultureInfo.InvariantCulture)) },
            { EventHeaders.SourceOffset, Encoding.UTF8.GetBytes(source.Offset.Value.ToString(CultureInfo.InvariantCulture)) },
        };
        if (field is not null)
        {
            headers.Add(EventHeaders.ReasonField, Encoding.UTF8.GetBytes(field));
        }

        if (value is not null && value.Length > maxValueBytes)
        {
            headers.Add(EventHeaders.OriginalSize, Encoding.UTF8.GetBytes(value.Length.ToString(CultureInfo.InvariantCulture)));
            value = value[..maxValueBytes];
        }

        return new Message<byte[]?, byte[]?> { Key = source.Message.Key, Value = value, Headers = headers };
    }
}

using System.ComponentModel.DataAnnotations;

namespace Spumr.ServiceDefaults.Messaging;

/// <summary>Which broker carries Spumr's MassTransit messages.</summary>
public enum MessagingTransport
{
    /// <summary>In-process only (the default): every service of the process sees every message; nothing crosses processes.</summary>
    InMemory,

    /// <summary>RabbitMQ, for services in separate processes (deploy).</summary>
    RabbitMq,
}

/// <summary>The process's MassTransit bus (configuration section <c>Messaging</c>).</summary>
public sealed class MessagingOptions : IValidatableObject
{
    public const string Section = "Messaging";

    /// <summary><c>InMemory</c> (default) or <c>RabbitMq</c>.</summary>
    public MessagingTransport Transport { get; set; } = MessagingTransport.InMemory;

    /// <summary>Used when <see cref="Transport"/> is <c>RabbitMq</c> (section <c>Messaging:RabbitMq</c>).</summary>
    public RabbitMqOptions RabbitMq { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Transport))
        {
            yield return new ValidationResult($"Messaging:Transport {Transport} is not InMemory or RabbitMq.", [nameof(Transport)]);
        }

        if (Transport != MessagingTransport.RabbitMq)
        {
            yield break;
        }

        var rabbit = RabbitMq ?? new RabbitMqOptions();
        if (string.IsNullOrWhiteSpace(rabbit.Host))
        {
            yield return new ValidationResult("Messaging:RabbitMq:Host is empty; name the RabbitMQ host, such as localhost.", [nameof(RabbitMq)]);
        }

        if (rabbit.Port is < 1 or > 65535)
        {
            yield return new ValidationResult($"Messaging:RabbitMq:Port {rabbit.Port} is not a TCP port (1..65535).", [nameof(RabbitMq)]);
        }

        if (string.IsNullOrEmpty(rabbit.VirtualHost))
        {
            yield return new ValidationResult("Messaging:RabbitMq:VirtualHost is empty; the default virtual host is \"/\".", [nameof(RabbitMq)]);
        }

        if (string.IsNullOrEmpty(rabbit.Username))
        {
            yield return new ValidationResult("Messaging:RabbitMq:Username is empty.", [nameof(RabbitMq)]);
        }
    }
}

/// <summary>Where RabbitMQ is and how to log in.</summary>
public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "localhost";

    public int Port { get; set; } = 5672;

    public string VirtualHost { get; set; } = "/";

    public string Username { get; set; } = "guest";

    public string Password { get; set; } = "guest";
}

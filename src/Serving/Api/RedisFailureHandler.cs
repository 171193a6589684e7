using Microsoft.AspNetCore.Diagnostics;

namespace Spumr.Serving.Api;

/// <summary>
/// Last line for exceptions that escape an endpoint: Redis failures become 503 with the reason, anything
/// else a 500 problem without internals (the stack trace goes to the log, never to the client).
/// </summary>
internal sealed class RedisFailureHandler(IProblemDetailsService problems, ILogger<RedisFailureHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var redis = RedisFailure.Is(exception);
        if (redis)
        {
            logger.LogWarning("Redis failure on {Path}: {Diagnostics}", httpContext.Request.Path, exception.Message);
        }
        else
        {
            logger.LogError(exception, "Unhandled error on {Path}", httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = redis ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = httpContext.Response.StatusCode,
                Title = redis ? "Service unavailable" : "Internal error",
                Detail = redis ? $"Redis is unreachable: {RedisFailure.Describe(exception)}." : "The request failed on the server; the error is logged.",
            },
        });
    }
}

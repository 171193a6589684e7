using Microsoft.AspNetCore.Http.HttpResults;
using Spumr.Serving.Models;
using Spumr.Serving.Ranking;
using Spumr.Serving.Recommendations;

namespace Spumr.Serving.Api;

/// <summary>The HTTP API: recommendations, similar items and the live model.</summary>
internal static class ServingEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var v1 = routes.MapGroup("/v1");
        v1.MapGet("/users/{userId}/recommendations", RecommendAsync);
        v1.MapGet("/items/{itemId}/similar", Similar);
        v1.MapGet("/model", Model);
    }

    private static async Task<Results<Ok<RecommendationsResponse>, ProblemHttpResult>> RecommendAsync(
        string userId, HttpRequest request, RecommendationService service)
    {
        if (RequestRules.IdProblem("userId", userId) is { } idProblem)
        {
            return BadRequest(idProblem);
        }

        if (!RequestRules.TryReadK(request, out var k, out var kProblem))
        {
            return BadRequest(kProblem!);
        }

        var outcome = await service.RecommendAsync(userId, k);
        if (outcome.Unavailable is { } reason || outcome.Model is null || outcome.Result is null)
        {
            return Unavailable(outcome.Unavailable ?? "no model version is loaded yet");
        }

        var model = outcome.Model;
        return TypedResults.Ok(new RecommendationsResponse(
            userId, model.Version, model.Metadata.Model, Wire.Source(outcome.Result.Source), k,
            Items(model, outcome.Result.Items), outcome.Degraded));
    }

    private static Results<Ok<SimilarItemsResponse>, ProblemHttpResult> Similar(
        string itemId, HttpRequest request, LiveModel live, ServingMetrics metrics)
    {
        if (RequestRules.IdProblem("itemId", itemId) is { } idProblem)
        {
            return BadRequest(idProblem);
        }

        if (!RequestRules.TryReadK(request, out var k, out var kProblem))
        {
            return BadRequest(kProblem!);
        }

        var model = live.Current;
        if (model is null)
        {
            return Unavailable("no model version is loaded yet");
        }

        if (!model.ItemRows.TryGetValue(itemId, out var row))
        {
            return TypedResults.Problem(
                $"Item '{itemId}' is not in model version {model.Version}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown item");
        }

        var started = TimeProvider.System.GetTimestamp();
        var items = Recommender.Similar(model, row, k);
        metrics.Ranked("similar", TimeProvider.System.GetElapsedTime(started));
        return TypedResults.Ok(new SimilarItemsResponse(itemId, model.Version, model.Metadata.Model, "cosine", k, Items(model, items)));
    }

    private static Results<Ok<ModelResponse>, ProblemHttpResult> Model(LiveModel live)
    {
        if (live.Current is not { } model)
        {
            return Unavailable("no model version is loaded yet");
        }

        var m = model.Metadata;
        return TypedResults.Ok(new ModelResponse(
            m.Version, m.Model, m.Metrics, m.GraphSnapshotPosition, m.CreatedAt, model.LoadedAt, m.Dimension, m.UserCount, m.ItemCount));
    }

    private static ScoredItem[] Items(LoadedModel model, RankedItem[] ranked)
    {
        var items = new ScoredItem[ranked.Length];
        for (var i = 0; i < ranked.Length; i++)
        {
            items[i] = new ScoredItem(model.ItemIds[ranked[i].Row], ranked[i].Score);
        }

        return items;
    }

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request parameter");

    private static ProblemHttpResult Unavailable(string reason) =>
        TypedResults.Problem(reason, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable");
}

using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using static LlmProviders.Anthropic.Tests.AnthropicWire;

namespace LlmProviders.Anthropic.Tests;

/// <summary>Model listing with cursor paging, and the health check (one model, never a completion).</summary>
public sealed class AnthropicProviderModelsTests : AnthropicProviderTestBase
{
    [Test]
    public async Task Models_are_listed_across_pages_with_after_id()
    {
        Handler.Enqueue(
            CannedResponse.Json(Models(true, "claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001")),
            CannedResponse.Json(Models(false, "claude-3-5-haiku-20241022")));

        var models = await CreateProvider().ListModelsAsync();

        Assert.That(models.Select(m => m.Id), Is.EqualTo(new[] { "claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001", "claude-3-5-haiku-20241022" }));
        Assert.That(Handler.Requests, Has.Count.EqualTo(2));
        Assert.That(Handler.Requests[0].Uri.AbsoluteUri, Is.EqualTo("https://api.anthropic.com/v1/models?limit=1000"));
        Assert.That(Handler.Requests[1].Uri.AbsoluteUri, Is.EqualTo("https://api.anthropic.com/v1/models?limit=1000&after_id=claude-haiku-4-5-20251001"));
        Assert.That(Handler.Requests.All(r => r.Header("x-api-key") == Key && r.Header("anthropic-version") == "2023-06-01"), Is.True);
    }

    [Test]
    public async Task Model_entries_carry_display_name_created_at_and_known_output_limit()
    {
        Handler.Response = CannedResponse.Json("""{"data":[{"type":"model","id":"claude-3-5-sonnet-20241022","display_name":"Claude 3.5 Sonnet","created_at":"2024-10-22T00:00:00Z"}],"has_more":false,"first_id":"claude-3-5-sonnet-20241022","last_id":"claude-3-5-sonnet-20241022"}""");
        var model = (await CreateProvider().ListModelsAsync()).Single();
        Assert.Multiple(() =>
        {
            Assert.That(model.DisplayName, Is.EqualTo("Claude 3.5 Sonnet"));
            Assert.That(model.CreatedAt, Is.EqualTo(new DateTimeOffset(2024, 10, 22, 0, 0, 0, TimeSpan.Zero)));
            Assert.That(model.MaxOutputTokens, Is.EqualTo(8192));
            Assert.That(model.OwnedBy, Is.EqualTo("anthropic"));
        });
    }

    [Test]
    public async Task Paging_stops_when_the_cursor_does_not_move()
    {
        Handler.Response = CannedResponse.Json(Models(true, "claude-a"));
        var models = await CreateProvider().ListModelsAsync();
        Assert.That(Handler.Requests, Has.Count.EqualTo(2), "The second page repeats the cursor: stop instead of looping.");
        Assert.That(models, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_model_list_without_data_is_malformed()
    {
        Handler.Response = CannedResponse.Json("""{"has_more":false}""");
        var provider = CreateProvider();
        await CatchAsync<MalformedResponseException>(() => provider.ListModelsAsync());
    }

    [Test]
    public async Task Health_lists_one_model_with_a_get_and_never_posts()
    {
        Handler.Response = CannedResponse.Json(Models(true, "claude-sonnet-4-5"));
        Handler.ServerLatency = TimeSpan.FromMilliseconds(40);
        var health = await CreateProvider().CheckHealthAsync();

        Assert.That(health.IsHealthy, Is.True);
        Assert.That(health.Latency, Is.EqualTo(TimeSpan.FromMilliseconds(40)));
        var sent = Handler.Requests.Single();
        Assert.That(sent.Method, Is.EqualTo(HttpMethod.Get));
        Assert.That(sent.Uri.AbsoluteUri, Is.EqualTo("https://api.anthropic.com/v1/models?limit=1"));
    }

    [Test]
    public async Task Health_reports_an_overload_as_unhealthy_without_throwing()
    {
        Handler.Response = CannedResponse.Json(Error("overloaded_error", "Overloaded"), (HttpStatusCode)529);
        var health = await CreateProvider().CheckHealthAsync();
        Assert.That(health.Status, Is.EqualTo(LlmHealthStatus.Unhealthy));
        Assert.That(health.Error, Is.TypeOf<ProviderOverloadedException>());
    }
}

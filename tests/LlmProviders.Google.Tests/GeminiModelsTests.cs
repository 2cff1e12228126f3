using System;
using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;

namespace LlmProviders.Google.Tests;

/// <summary>Model listing: pageToken paging, the models/ prefix stripped, only generateContent models.</summary>
public sealed class GeminiModelsTests : GeminiProviderTestBase
{
    [Test]
    public async Task Models_are_listed_across_pages_with_the_prefix_stripped_and_only_generateContent_models()
    {
        // Edge case #28.
        Handler.Enqueue(
            CannedResponse.Json(GeminiWire.Models("page/2+=", ("gemini-2.5-flash", ["generateContent", "countTokens"]), ("embedding-001", ["embedContent"]))),
            CannedResponse.Json(GeminiWire.Models(null, ("gemini-2.5-pro", ["generateContent"]), ("aqa", ["generateAnswer"]))));

        var models = await CreateProvider().ListModelsAsync();

        Assert.That(models.Select(m => m.Id), Is.EqualTo(new[] { "gemini-2.5-flash", "gemini-2.5-pro" }));
        Assert.That(models[0].DisplayName, Is.EqualTo("GEMINI-2.5-FLASH"));
        Assert.That(models[0].ContextWindow, Is.EqualTo(1048576));
        Assert.That(models[0].MaxOutputTokens, Is.EqualTo(65536));
        Assert.That(Handler.Requests, Has.Count.EqualTo(2));
        Assert.That(Handler.Requests[0].Uri.Query, Does.Not.Contain("pageToken"));
        Assert.That(Handler.Requests[1].Uri.Query, Does.Contain("pageToken=page%2F2%2B%3D"));
        Assert.That(Handler.Requests.All(r => r.Header("x-goog-api-key") == Key && !r.Uri.Query.Contains("key=", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task A_repeated_page_token_stops_the_paging()
    {
        Handler.Response = CannedResponse.Json(GeminiWire.Models("same", ("gemini-2.5-flash", ["generateContent"])));
        var models = await CreateProvider().ListModelsAsync();
        Assert.That(Handler.Requests, Has.Count.EqualTo(2));
        Assert.That(models, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_model_without_a_method_list_is_kept()
    {
        Handler.Response = CannedResponse.Json("""{"models":[{"name":"models/tuned-x"}]}""");
        var models = await CreateProvider().ListModelsAsync();
        Assert.That(models.Single().Id, Is.EqualTo("tuned-x"));
    }

    [Test]
    public async Task A_failing_page_is_a_typed_error()
    {
        Handler.Enqueue(
            CannedResponse.Json(GeminiWire.Models("t2", ("gemini-2.5-flash", ["generateContent"]))),
            CannedResponse.Json(GeminiWire.Error(503, "UNAVAILABLE", "The service is currently unavailable."), System.Net.HttpStatusCode.ServiceUnavailable));
        var ex = await CatchAsync<ProviderUnavailableException>(() => CreateProvider().ListModelsAsync());
        Assert.That(ex.IsTransient, Is.True);
    }
}

using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;

namespace LlmProviders.Ollama.Tests;

/// <summary>Error statuses, the not-pulled model, and a server that is not running.</summary>
public sealed class OllamaProviderErrorTests : OllamaProviderTestBase
{
    private static HttpRequestException ConnectionRefused() =>
        new(HttpRequestError.ConnectionError, "Connection refused (localhost:11434)", new SocketException((int)SocketError.ConnectionRefused));

    [Test]
    public async Task Model_not_pulled_404_is_model_not_found_saying_ollama_pull()
    {
        var ex = await CatchChatAsync<ModelNotFoundException>(CannedResponse.Json(OllamaWire.Error("model 'llama3.2' not found"), HttpStatusCode.NotFound));
        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Does.Contain("ollama pull llama3.2"));
            Assert.That(ex.Message, Does.Contain("model 'llama3.2' not found"));
            Assert.That(ex.Message, Does.Contain("ollama"));
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(ex.Model, Is.EqualTo("llama3.2"));
            Assert.That(ex.IsTransient, Is.False);
        });
    }

    [Test]
    public async Task Older_not_pulled_wording_is_model_not_found_saying_ollama_pull()
    {
        var ex = await CatchChatAsync<ModelNotFoundException>(CannedResponse.Json(OllamaWire.Error("model \"llama3.2\" not found, try pulling it first"), HttpStatusCode.NotFound));
        Assert.That(ex.Message, Does.Contain("ollama pull llama3.2"));
    }

    [Test]
    public async Task Model_not_pulled_on_a_stream_says_ollama_pull()
    {
        var ex = await CatchStreamAsync<ModelNotFoundException>(CannedResponse.Json(OllamaWire.Error("model 'qwen3' not found"), HttpStatusCode.NotFound), request: Ask(model: "qwen3"));
        Assert.That(ex.Message, Does.Contain("ollama pull qwen3"));
    }

    [Test]
    public async Task Bad_request_400_is_an_invalid_request()
    {
        var ex = await CatchChatAsync<InvalidChatRequestException>(CannedResponse.Json(OllamaWire.Error("invalid options: num_gpu"), HttpStatusCode.BadRequest));
        Assert.That(ex.Message, Does.Contain("invalid options: num_gpu"));
    }

    [TestCase(HttpStatusCode.InternalServerError)]
    [TestCase(HttpStatusCode.BadGateway)]
    [TestCase(HttpStatusCode.ServiceUnavailable)]
    public async Task Server_errors_are_provider_unavailable_and_transient(HttpStatusCode status)
    {
        var ex = await CatchChatAsync<ProviderUnavailableException>(CannedResponse.Json(OllamaWire.Error("llama runner process has terminated"), status));
        Assert.That(ex.IsTransient, Is.True);
        Assert.That(ex.StatusCode, Is.EqualTo(status));
    }

    [Test]
    public async Task Connection_refused_says_ollama_is_not_running_at_the_url()
    {
        Handler.ThrowOnSend = ConnectionRefused();
        var provider = CreateProvider(o => o.BaseUrl = new Uri("http://gpu-box:11434"));
        var ex = await CatchAsync<ProviderUnavailableException>(() => provider.ChatAsync(Ask()));
        Assert.That(ex.Message, Does.Contain("Ollama is not running at http://gpu-box:11434"));
        Assert.That(ex.Message, Does.Contain("ollama serve"));
        Assert.That(ex.IsTransient, Is.True);
        Assert.That(ex.ProviderName, Is.EqualTo("ollama"));
    }

    [Test]
    public async Task Connection_refused_on_a_stream_says_ollama_is_not_running()
    {
        Handler.ThrowOnSend = ConnectionRefused();
        var ex = await CatchStreamAsync<ProviderUnavailableException>(CannedResponse.Ndjson(OllamaWire.DoneLine()));
        Assert.That(ex.Message, Does.Contain("Ollama is not running at http://localhost:11434"));
    }

    [Test]
    public async Task Health_check_of_a_stopped_server_is_unhealthy_saying_it_is_not_running()
    {
        Handler.ThrowOnSend = ConnectionRefused();
        var health = await CreateProvider().CheckHealthAsync();
        Assert.That(health.Status, Is.EqualTo(LlmHealthStatus.Unhealthy));
        Assert.That(health.Message, Does.Contain("Ollama is not running at http://localhost:11434"));
    }

    [Test]
    public async Task Other_transport_failures_keep_the_generic_unreachable_message()
    {
        Handler.ThrowOnSend = new HttpRequestException(HttpRequestError.NameResolutionError, "No such host is known (gpu-box:11434)");
        var ex = await CatchAsync<ProviderUnavailableException>(() => CreateProvider().ChatAsync(Ask()));
        Assert.That(ex.Message, Does.Not.Contain("not running"));
        Assert.That(ex.Message, Does.Contain("could not be reached"));
    }

    [Test]
    public async Task Plain_404_page_not_found_is_a_wrong_base_url_not_a_missing_model()
    {
        var response = CannedResponse.Text(HttpStatusCode.NotFound, "text/plain", "404 page not found");
        var ex = await CatchChatAsync<InvalidChatRequestException>(response, provider: CreateProvider(o => o.BaseUrl = new Uri("http://localhost:11434/v1")));
        Assert.That(ex.Message, Does.Contain("BaseUrl"));
        Assert.That(ex.Message, Does.Not.Contain("ollama pull"));
    }

    [Test]
    public async Task Exceptions_never_contain_the_optional_key()
    {
        const string key = "ollama-secret-Zq81Lm";
        var ex = await CatchChatAsync<ProviderAuthenticationException>(
            CannedResponse.Json(OllamaWire.Error("unauthorized key " + key), HttpStatusCode.Unauthorized), provider: CreateProvider(o => o.ApiKey = key));
        Assert.That(ex.ToString(), Does.Not.Contain(key));
        Assert.That(ex.ResponseBody, Does.Not.Contain(key));
    }
}

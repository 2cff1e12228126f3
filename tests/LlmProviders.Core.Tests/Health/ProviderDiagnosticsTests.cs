using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Tasks;
using LlmProviders.Health;
using LlmProviders.Testing;
using Microsoft.Extensions.DependencyInjection;
using RichardSzalay.MockHttp;

namespace LlmProviders.Tests.Health;

public sealed class ProviderDiagnosticsTests
{
    private const string Key = "sk-test-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z";
    private const string Models = """{"object":"list","data":[{"id":"gpt-4o-mini"},{"id":"gpt-4o"}]}""";

    private static (ILlmProviderDiagnostics Diagnostics, ManualTimeProvider Time, ServiceProvider Services) Create(HttpMessageHandler handler, Action<HealthMonitorOptions>? configure = null)
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        var http = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddLlmProviders(b => b.AddProvider("openai", "http-test", (_, name) => new HttpTestProvider(name, http, Key, time)));
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<ILlmProviderDiagnostics>(), time, provider);
    }

    private static LlmProviderCheckStatus[] Statuses(LlmProviderTestReport report) => report.Checks.Select(c => c.Status).ToArray();

    [Test]
    public async Task A_reachable_provider_with_an_accepted_key_and_the_model_passes_every_check()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpTestProvider.ModelsUrl).WithHeaders("Authorization", "Bearer " + Key).Respond("application/json", Models);
        var (diagnostics, _, services) = Create(mock);
        using var scope = services;

        var report = await diagnostics.TestProviderAsync("openai", "gpt-4o");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Passed, Is.True);
            Assert.That(report.Checks.Select(c => c.Name), Is.EqualTo(new[] { "reachable", "key", "model" }));
            Assert.That(Statuses(report), Is.All.EqualTo(LlmProviderCheckStatus.Passed));
            Assert.That(report.Checks[2].Message, Is.EqualTo("'openai' serves 'gpt-4o'."));
            Assert.That(report.Kind, Is.EqualTo("http-test"));
        }
    }

    [Test]
    public async Task A_rejected_key_fails_the_key_check_with_a_fix_and_never_shows_the_key()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpTestProvider.ModelsUrl).Respond(HttpStatusCode.Unauthorized, "application/json",
            "{\"error\":{\"message\":\"Incorrect API key provided: " + Key + ".\"}}");
        var (diagnostics, _, services) = Create(mock);
        using var scope = services;

        var report = await diagnostics.TestProviderAsync("openai", "gpt-4o");
        string json = report.ToJson();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Passed, Is.False);
            Assert.That(Statuses(report), Is.EqualTo(new[] { LlmProviderCheckStatus.Passed, LlmProviderCheckStatus.Failed, LlmProviderCheckStatus.Skipped }));
            Assert.That(report.Checks[1].Message, Is.EqualTo("'openai' rejected the API key (HTTP 401)."));
            Assert.That(report.Checks[1].Fix, Does.Contain("create a new key"));
            Assert.That(json, Does.Not.Contain(Key));
            Assert.That(json, Does.Not.Contain(Key[..12]));
            Assert.That(report.ToString(), Does.Not.Contain(Key[..12]));
        }
    }

    [Test]
    public async Task A_model_the_provider_does_not_serve_fails_the_model_check_and_lists_the_available_ones()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpTestProvider.ModelsUrl).Respond("application/json", Models);
        var (diagnostics, _, services) = Create(mock);
        using var scope = services;

        var report = await diagnostics.TestProviderAsync("openai", "gpt-5-turbo");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Passed, Is.False);
            Assert.That(Statuses(report), Is.EqualTo(new[] { LlmProviderCheckStatus.Passed, LlmProviderCheckStatus.Passed, LlmProviderCheckStatus.Failed }));
            Assert.That(report.Checks[2].Message, Is.EqualTo("'openai' does not list 'gpt-5-turbo'. Available: gpt-4o-mini, gpt-4o."));
            Assert.That(report.Checks[2].Fix, Does.StartWith("Set the model to one 'openai' lists"));
        }
    }

    [Test]
    public async Task Without_a_model_the_model_check_lists_what_is_available()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpTestProvider.ModelsUrl).Respond("application/json", Models);
        var (diagnostics, _, services) = Create(mock);
        using var scope = services;

        var report = await diagnostics.TestProviderAsync("openai");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Passed, Is.True);
            Assert.That(report.Model, Is.Null);
            Assert.That(report.Checks[2].Message, Is.EqualTo("'openai' lists 2 model(s): gpt-4o-mini, gpt-4o. Pass a model to check it."));
        }
    }

    [Test]
    public async Task A_refused_connection_fails_reachability_and_skips_the_other_checks()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpTestProvider.ModelsUrl).Throw(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (api.example.test:443)", new SocketException((int)SocketError.ConnectionRefused)));
        var (diagnostics, _, services) = Create(mock);
        using var scope = services;

        var report = await diagnostics.TestProviderAsync("openai", "gpt-4o");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Passed, Is.False);
            Assert.That(Statuses(report), Is.EqualTo(new[] { LlmProviderCheckStatus.Failed, LlmProviderCheckStatus.Skipped, LlmProviderCheckStatus.Skipped }));
            Assert.That(report.Checks[0].Message, Does.StartWith("'openai' could not be reached").And.Contain("ConnectionError"));
            Assert.That(report.Checks[0].Fix, Does.Contain("base URL"));
        }
    }

    [Test]
    public async Task A_provider_that_does_not_answer_fails_reachability_after_the_timeout()
    {
        using var handler = new SilentHandler();
        var (diagnostics, time, services) = Create(handler, o => o.Timeout = TimeSpan.FromSeconds(3));
        using var scope = services;

        var test = diagnostics.TestProviderAsync("openai", "gpt-4o");
        Assert.That(test.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromSeconds(3));
        var report = await test;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Statuses(report), Is.EqualTo(new[] { LlmProviderCheckStatus.Failed, LlmProviderCheckStatus.Skipped, LlmProviderCheckStatus.Skipped }));
            Assert.That(report.Checks[0].Message, Is.EqualTo("'openai' did not answer within 3 s."));
            Assert.That(report.Duration, Is.EqualTo(TimeSpan.FromSeconds(3)));
        }
    }

    [Test]
    public async Task The_report_serialises_to_json_with_named_statuses()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpTestProvider.ModelsUrl).Respond("application/json", Models);
        var (diagnostics, _, services) = Create(mock);
        using var scope = services;
        var report = await diagnostics.TestProviderAsync("openai", "gpt-5-turbo");

        using var doc = JsonDocument.Parse(report.ToJson());
        var root = doc.RootElement;
        var model = root.GetProperty("checks")[2];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("providerName").GetString(), Is.EqualTo("openai"));
            Assert.That(root.GetProperty("passed").GetBoolean(), Is.False);
            Assert.That(root.GetProperty("model").GetString(), Is.EqualTo("gpt-5-turbo"));
            Assert.That(model.GetProperty("name").GetString(), Is.EqualTo("model"));
            Assert.That(model.GetProperty("status").GetString(), Is.EqualTo("Failed"));
            Assert.That(model.GetProperty("fix").GetString(), Is.Not.Empty);
            Assert.That(root.GetProperty("checks")[0].TryGetProperty("fix", out _), Is.False, "a passed check has no fix");
        }
    }

    [Test]
    public async Task Every_provider_can_be_tested_at_once_and_exported_as_one_json_array()
    {
        var services = new ServiceCollection();
        services.AddLlmProviders(b => b.AddSimulated("sim-a").AddSimulated("sim-b", o => o.Healthy = false));
        using var provider = services.BuildServiceProvider();

        var reports = await provider.GetRequiredService<ILlmProviderDiagnostics>().TestAllProvidersAsync();
        using var doc = JsonDocument.Parse(LlmProviderTestReport.ToJson(reports));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reports.Select(r => r.ProviderName), Is.EqualTo(new[] { "sim-a", "sim-b" }));
            Assert.That(reports[0].Passed, Is.True);
            Assert.That(reports[1].Checks[0].Status, Is.Not.EqualTo(LlmProviderCheckStatus.Passed));
            Assert.That(doc.RootElement.GetArrayLength(), Is.EqualTo(2));
        }
    }

    [Test]
    public void Testing_a_provider_that_is_not_registered_names_it()
    {
        using var mock = new MockHttpMessageHandler();
        var (diagnostics, _, services) = Create(mock);
        using var scope = services;

        var error = Assert.ThrowsAsync<ArgumentException>(() => diagnostics.TestProviderAsync("anthropic"));
        Assert.That(error!.Message, Does.Contain("'anthropic'"));
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;
using NUnit.Framework;

namespace LlmProviders.Testing.Conformance;

/// <summary>
/// The behaviour every <see cref="IEmbeddingProvider"/> must show, as an abstract NUnit fixture (the embedding counterpart of
/// <see cref="ProviderConformanceTests"/>). A provider's test project derives one class from it, creates the provider over the
/// given <see cref="HttpMessageHandler"/> and <see cref="TimeProvider"/>, and supplies canned wire responses (in its own wire
/// format) carrying the expected values defined here: <see cref="ExpectedVectors"/> for <see cref="Inputs"/>,
/// <see cref="ExpectedShortVector"/> for a <see cref="RequestedDimensions"/> request, <see cref="ExpectedModel"/> and the usage.
/// Every test here then runs against that provider: vectors in input order, model, usage, cost, dimensions on the wire, errors
/// per status with retry hints, malformed bodies (count mismatches included), cancellation, key redaction, request immutability
/// and a fuzz test.
/// </summary>
/// <remarks>Nothing sleeps: time is a <see cref="ManualTimeProvider"/> and bodies are in memory.</remarks>
public abstract class EmbeddingConformanceTests
{
    /// <summary>The embedding model the tests request.</summary>
    public const string RequestedModel = "conformance-embed";

    /// <summary>The model the canned responses report (when the wire reports one: see <see cref="ReportsModel"/>).</summary>
    public const string ExpectedModel = "conformance-embed-001";

    /// <summary>The number of dimensions the dimensions scenario asks for.</summary>
    public const int RequestedDimensions = 3;

    /// <summary>Input tokens reported by every successful canned response (when <see cref="ReportsUsage"/>).</summary>
    public const long ExpectedInputTokens = 12;

    /// <summary>The API key the provider must be created with; no 5-character part of it may appear in an exception.</summary>
    public const string ApiKey = ProviderConformanceTests.ApiKey;

    /// <summary>The upper bound, in real time, after which a call is considered hung (a safety net, never a wait).</summary>
    protected static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Gets the texts of the batch scenario (multi-byte UTF-8); the single scenario embeds the first.</summary>
    public static IReadOnlyList<string> Inputs { get; } = ["Hello, wörld! 👋", "Ça va?", "你好."];

    /// <summary>Gets the vector of each of <see cref="Inputs"/>, in order (values exact in binary, so text and base64 agree).</summary>
    public static IReadOnlyList<float[]> ExpectedVectors { get; } =
    [
        [0.125f, -0.5f, 0.75f, 1f],
        [-0.25f, 0.5f, 0f, -1f],
        [0.0625f, 0.375f, -0.875f, 0.25f],
    ];

    /// <summary>Gets the vector the dimensions scenario answers (<see cref="RequestedDimensions"/> values).</summary>
    public static float[] ExpectedShortVector { get; } = [0.5f, -0.25f, 0.125f];

    /// <summary>Gets the key as a provider echoes it in a 401 body: first 8 characters, stars, last 4.</summary>
    public static string MaskedApiKey => ProviderConformanceTests.MaskedApiKey;

    /// <summary>Gets the clock of the current test.</summary>
    protected ManualTimeProvider Time { get; private set; } = null!;

    /// <summary>Gets the scripted server of the current test.</summary>
    protected ScriptedHttpHandler Handler { get; private set; } = null!;

    /// <summary>Gets the provider under test (created by <see cref="CreateProvider"/> for each test).</summary>
    protected IEmbeddingProvider Provider { get; private set; } = null!;

    // ----------------------------------------------------------------------------------------------------------------
    // What a provider's subclass supplies
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>Gets the answer to one input (<see cref="Inputs"/>[0]): <see cref="ExpectedVectors"/>[0], <see cref="ExpectedModel"/>, the usage.</summary>
    protected abstract CannedResponse SingleEmbedding { get; }

    /// <summary>
    /// Gets the answer to the three <see cref="Inputs"/>: <see cref="ExpectedVectors"/>, the model, the usage. Where the wire
    /// carries indexes, list the items out of order: the provider must put them back in input order.
    /// </summary>
    protected abstract CannedResponse BatchEmbedding { get; }

    /// <summary>Gets the answer to one input asked with <see cref="RequestedDimensions"/>: <see cref="ExpectedShortVector"/>.</summary>
    protected abstract CannedResponse DimensionsEmbedding { get; }

    /// <summary>Gets an answer with <paramref name="count"/> vectors in the batch shape (any values), for the count-mismatch tests.</summary>
    /// <param name="count">The number of vectors.</param>
    /// <returns>The response.</returns>
    protected abstract CannedResponse BatchEmbeddingWithVectors(int count);

    /// <summary>Gets a value indicating whether the provider's responses carry usage (the canned ones then carry <see cref="ExpectedInputTokens"/>); otherwise the result's usage is <see langword="null"/>.</summary>
    protected virtual bool ReportsUsage => true;

    /// <summary>Gets a value indicating whether the provider's responses name the model; otherwise the result reports <see cref="RequestedModel"/>.</summary>
    protected virtual bool ReportsModel => true;

    /// <summary>Gets a value indicating whether the provider is local (its results cost 0); a cloud provider's cost is <see langword="null"/> until a price catalog exists.</summary>
    protected virtual bool IsLocal => false;

    /// <summary>Creates the provider under test, with <see cref="ApiKey"/>, over <paramref name="handler"/> and <paramref name="timeProvider"/>.</summary>
    /// <param name="handler">The scripted server.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The provider.</returns>
    protected abstract IEmbeddingProvider CreateProvider(HttpMessageHandler handler, TimeProvider timeProvider);

    /// <summary>
    /// Gets the error response for a scenario (status, the provider's error body), or <see langword="null"/> when the provider has
    /// no such error. Required: <see cref="ErrorScenario.BadRequest"/>, <see cref="ErrorScenario.Authentication"/> (echoing
    /// <see cref="MaskedApiKey"/>), <see cref="ErrorScenario.PermissionDenied"/>, <see cref="ErrorScenario.ModelNotFound"/>,
    /// <see cref="ErrorScenario.RateLimited"/>, <see cref="ErrorScenario.ServerError"/>, <see cref="ErrorScenario.ServiceUnavailable"/>.
    /// </summary>
    /// <param name="scenario">The scenario (<see cref="ErrorScenario.BadGatewayHtml"/> is built by the base).</param>
    /// <returns>The response.</returns>
    protected abstract CannedResponse? ErrorResponse(ErrorScenario scenario);

    /// <summary>Asserts the wire essentials of an embeddings request: endpoint, authentication carrying <see cref="ApiKey"/>, <see cref="RequestedModel"/>, the inputs in order and the dimensions.</summary>
    /// <param name="request">The recorded request.</param>
    /// <param name="inputs">The inputs sent.</param>
    /// <param name="dimensions">The dimensions asked for, or <see langword="null"/> (then the body must not carry any).</param>
    protected abstract void AssertEmbeddingRequest(RecordedRequest request, IReadOnlyList<string> inputs, int? dimensions);

    /// <summary>Creates a fresh clock, server and provider for each test.</summary>
    [SetUp]
    public void SetUpProvider()
    {
        Time = new ManualTimeProvider();
        Handler = new ScriptedHttpHandler(Time);
        Provider = CreateProvider(Handler, Time);
    }

    /// <summary>Releases the scripted server.</summary>
    [TearDown]
    public void TearDownProvider()
    {
        Handler.Release();
        Handler.Dispose();
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Answers
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>One input gives one vector, the model, the usage, the provider's name and the cost rule; the request has the provider's shape.</summary>
    [Test]
    public async Task Single_input_returns_its_vector_model_usage_and_provider()
    {
        Handler.Response = SingleEmbedding;
        var result = await Bounded(Provider.EmbedAsync(One()));

        Assert.That(result.Embeddings, Has.Count.EqualTo(1));
        AssertVector(result.Embeddings[0], ExpectedVectors[0], "vector 0");
        AssertModelUsageAndCost(result);
        Assert.That(Handler.Requests, Has.Count.EqualTo(1));
        AssertEmbeddingRequest(Handler.LastRequest, [Inputs[0]], null);
    }

    /// <summary>Several inputs give one vector each, in input order (whatever order the wire lists them in).</summary>
    [Test]
    public async Task Several_inputs_return_their_vectors_in_input_order()
    {
        Handler.Response = BatchEmbedding;
        var result = await Bounded(Provider.EmbedAsync(Batch()));

        Assert.That(result.Embeddings, Has.Count.EqualTo(Inputs.Count));
        for (int i = 0; i < Inputs.Count; i++)
        {
            AssertVector(result.Embeddings[i], ExpectedVectors[i], $"vector {i}");
        }

        AssertModelUsageAndCost(result);
        Assert.That(Handler.Requests, Has.Count.EqualTo(1), "several inputs are one call");
        AssertEmbeddingRequest(Handler.LastRequest, Inputs, null);
    }

    /// <summary>Dimensions reach the wire, and the shorter vector comes back.</summary>
    [Test]
    public async Task Dimensions_reach_the_wire_and_the_vector_has_them()
    {
        Handler.Response = DimensionsEmbedding;
        var request = One();
        request.Dimensions = RequestedDimensions;
        var result = await Bounded(Provider.EmbedAsync(request));

        Assert.That(result.Embeddings, Has.Count.EqualTo(1));
        AssertVector(result.Embeddings[0], ExpectedShortVector, "short vector");
        AssertEmbeddingRequest(Handler.LastRequest, [Inputs[0]], RequestedDimensions);
    }

    /// <summary>Latency is measured on the provider's clock.</summary>
    [Test]
    public async Task Latency_is_measured_with_the_time_provider()
    {
        Handler.Response = SingleEmbedding;
        Handler.ServerLatency = TimeSpan.FromMilliseconds(150);
        var result = await Bounded(Provider.EmbedAsync(One()));
        Assert.That(result.Latency, Is.EqualTo(TimeSpan.FromMilliseconds(150)));
    }

    /// <summary>The one-text shortcut returns the vector.</summary>
    [Test]
    public async Task The_single_text_shortcut_returns_the_vector()
    {
        Handler.Response = SingleEmbedding;
        var vector = await Bounded(Provider.EmbedAsync(Inputs[0], RequestedModel));
        Assert.That(vector.ToArray(), Is.EqualTo(ExpectedVectors[0]));
    }

    /// <summary>A request is never changed by the call.</summary>
    [Test]
    public async Task Request_is_not_mutated()
    {
        Handler.Response = DimensionsEmbedding;
        var request = One();
        request.Dimensions = RequestedDimensions;
        request.Tags = new Dictionary<string, string> { ["feature"] = "search" };
        var inputs = request.Inputs;
        string before = Snapshot(request);
        await Bounded(Provider.EmbedAsync(request));
        Assert.That(Snapshot(request), Is.EqualTo(before));
        Assert.That(request.Inputs, Is.SameAs(inputs));
    }

    /// <summary>A request without input, with a <see langword="null"/> input or with non-positive dimensions is refused before anything is sent.</summary>
    [Test]
    public void Invalid_requests_are_refused_before_sending()
    {
        Handler.Response = SingleEmbedding;
        Assert.ThrowsAsync<ArgumentNullException>(() => Provider.EmbedAsync(null!));
        Assert.ThrowsAsync<ArgumentException>(() => Provider.EmbedAsync(new EmbeddingRequest(Array.Empty<string>())));
        Assert.ThrowsAsync<ArgumentException>(() => Provider.EmbedAsync(new EmbeddingRequest(new[] { "a", null! })));
        Assert.ThrowsAsync<ArgumentException>(() => Provider.EmbedAsync(new EmbeddingRequest("a") { Dimensions = 0 }));
        Assert.That(Handler.Requests, Is.Empty);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Errors
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>An error status throws the typed exception, naming the provider, with the right transience and no key.</summary>
    /// <param name="scenario">The error.</param>
    /// <param name="expectedType">The exception type.</param>
    /// <param name="transient">Whether it is transient.</param>
    [TestCase(ErrorScenario.BadRequest, typeof(InvalidChatRequestException), false)]
    [TestCase(ErrorScenario.Authentication, typeof(ProviderAuthenticationException), false)]
    [TestCase(ErrorScenario.PermissionDenied, typeof(ProviderPermissionException), false)]
    [TestCase(ErrorScenario.ModelNotFound, typeof(ModelNotFoundException), false)]
    [TestCase(ErrorScenario.RateLimited, typeof(RateLimitedException), true)]
    [TestCase(ErrorScenario.ServerError, typeof(ProviderUnavailableException), true)]
    [TestCase(ErrorScenario.BadGatewayHtml, typeof(ProviderUnavailableException), true)]
    [TestCase(ErrorScenario.ServiceUnavailable, typeof(ProviderUnavailableException), true)]
    public async Task Error_status_maps_to_typed_exception(ErrorScenario scenario, Type expectedType, bool transient)
    {
        Handler.Response = RequireError(scenario);
        var ex = await CatchAsync(() => Provider.EmbedAsync(One()));
        AssertTypedError(ex, expectedType, transient);
        Assert.That(((LlmProviderException)ex).StatusCode, Is.EqualTo(Handler.Response!.StatusCode));
    }

    /// <summary><c>Retry-After</c> in seconds on a 429 gives RetryAfter.</summary>
    [Test]
    public async Task Rate_limit_retry_after_comes_from_retry_after_seconds()
    {
        Handler.Response = RequireError(ErrorScenario.RateLimited).WithHeader("Retry-After", "7");
        var ex = await CatchAsync(() => Provider.EmbedAsync(One()));
        Assert.That(ex, Is.TypeOf<RateLimitedException>());
        Assert.That(((LlmProviderException)ex).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(7)));
    }

    /// <summary><c>Retry-After</c> as an HTTP date gives the wait from the provider's clock.</summary>
    [Test]
    public async Task Rate_limit_retry_after_comes_from_an_http_date()
    {
        var date = Time.GetUtcNow().AddSeconds(30).ToString("r", CultureInfo.InvariantCulture);
        Handler.Response = RequireError(ErrorScenario.RateLimited).WithHeader("Retry-After", date);
        var ex = await CatchAsync(() => Provider.EmbedAsync(One()));
        Assert.That(((LlmProviderException)ex).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    /// <summary>A transport failure is a transient <see cref="ProviderUnavailableException"/>.</summary>
    [Test]
    public async Task Transport_failure_is_provider_unavailable()
    {
        Handler.ThrowOnSend = new HttpRequestException(HttpRequestError.ConnectionError, "Connection reset (conformance.invalid:443)");
        var ex = await CatchAsync(() => Provider.EmbedAsync(One()));
        Assert.That(ex, Is.InstanceOf<LlmProviderException>(), () => $"Got {ex}");
        Assert.That(((LlmProviderException)ex).IsTransient, Is.True);
        AssertNamesProvider((LlmProviderException)ex);
    }

    /// <summary>No exception of any error path contains the API key, not even 5 characters of it.</summary>
    [Test]
    public async Task Exceptions_never_contain_the_api_key()
    {
        int checkedCount = 0;
        foreach (var scenario in Enum.GetValues<ErrorScenario>())
        {
            if (GetErrorResponse(scenario) is not { } response)
            {
                continue;
            }

            Handler.Response = response;
            AssertNoKey(await CatchAsync(() => Provider.EmbedAsync(Batch())), scenario.ToString());
            checkedCount++;
        }

        Handler.Response = SingleEmbedding.WithBody(Truncate(SingleEmbedding.Body));
        AssertNoKey(await CatchAsync(() => Provider.EmbedAsync(One())), "malformed");
        Handler.Response = BatchEmbeddingWithVectors(2);
        AssertNoKey(await CatchAsync(() => Provider.EmbedAsync(Batch())), "count mismatch");
        Assert.That(checkedCount, Is.GreaterThanOrEqualTo(7));
        Assert.That(GetErrorResponse(ErrorScenario.Authentication)!.BodyText, Does.Contain(MaskedApiKey), "The 401 body should echo the masked key, as providers do.");
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Malformed answers
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>An empty 200 body is malformed.</summary>
    [Test]
    public Task Empty_200_is_malformed() => AssertMalformed(SingleEmbedding.WithBody(Array.Empty<byte>()), One());

    /// <summary>An HTML page with 200 (a captive portal, a wrong base URL) is malformed.</summary>
    [Test]
    public Task Html_page_with_200_is_malformed() => AssertMalformed(CannedResponse.HtmlPage(HttpStatusCode.OK), One());

    /// <summary>A body cut in the middle is malformed.</summary>
    [Test]
    public Task Truncated_json_is_malformed() => AssertMalformed(BatchEmbedding.WithBody(Truncate(BatchEmbedding.Body)), Batch());

    /// <summary>A body that is not valid UTF-8 is malformed.</summary>
    [Test]
    public Task Invalid_utf8_is_malformed() => AssertMalformed(SingleEmbedding.WithBody(CorruptUtf8(SingleEmbedding.Body)), One());

    /// <summary>A 200 that is JSON but not an embeddings answer is malformed.</summary>
    [Test]
    public Task Json_without_embeddings_is_malformed() => AssertMalformed(SingleEmbedding.WithBody("{\"object\":\"list\"}"), One());

    /// <summary>Fewer vectors than inputs is malformed: a missing vector is never filled in.</summary>
    [Test]
    public Task Fewer_vectors_than_inputs_is_malformed() => AssertMalformed(BatchEmbeddingWithVectors(Inputs.Count - 1), Batch());

    /// <summary>More vectors than inputs is malformed: which vector belongs to which input cannot be trusted.</summary>
    [Test]
    public Task More_vectors_than_inputs_is_malformed() => AssertMalformed(BatchEmbeddingWithVectors(Inputs.Count + 1), Batch());

    // ----------------------------------------------------------------------------------------------------------------
    // Cancellation
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>A token cancelled before the call throws at once and sends nothing.</summary>
    [Test]
    public async Task Cancelled_before_send_throws_without_sending()
    {
        Handler.Response = SingleEmbedding;
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var ex = await CatchAsync(() => Provider.EmbedAsync(One(), cts.Token));
        Assert.That(ex, Is.InstanceOf<OperationCanceledException>());
        Assert.That(Handler.Requests, Is.Empty);
    }

    /// <summary>Cancelling while the body is being read stops the call promptly with <see cref="OperationCanceledException"/> and releases the response.</summary>
    [Test]
    public async Task Cancelled_while_reading_the_body_stops_promptly()
    {
        Handler.Response = BatchEmbedding;
        Handler.BodyOptions = new ScriptedBodyOptions { PauseAfterBytes = BatchEmbedding.Body.Length / 2 };
        using var cts = new CancellationTokenSource();
        var call = Provider.EmbedAsync(Batch(), cts.Token);
        await Bounded(Handler.WaitForBodyPauseAsync());
        Assert.That(call.IsCompleted, Is.False);

        var watch = Stopwatch.StartNew();
        await cts.CancelAsync();
        var ex = await CatchAsync(() => call);
        watch.Stop();
        Assert.That(ex, Is.InstanceOf<OperationCanceledException>());
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "Cancellation must stop the call promptly.");
        Assert.That(Handler.LastBody!.IsDisposed, Is.True, "The response must be released.");
    }

    /// <summary>A body that stalls past the provider's request timeout is a transient <see cref="ProviderTimeoutException"/> (the same resilience as chat).</summary>
    [Test]
    public async Task A_body_stalled_past_the_request_timeout_is_a_transient_timeout()
    {
        Handler.Response = BatchEmbedding;
        Handler.BodyOptions = new ScriptedBodyOptions { PauseAfterBytes = BatchEmbedding.Body.Length / 2 };
        var call = Provider.EmbedAsync(Batch());
        await Bounded(Handler.WaitForBodyPauseAsync());
        Assert.That(call.IsCompleted, Is.False);

        Time.Advance(TimeSpan.FromHours(2)); // past every provider's default RequestTimeout
        var ex = await CatchAsync(() => call);
        AssertTypedError(ex, typeof(ProviderTimeoutException), transient: true);
    }

    /// <summary>A server that answers only after the request timeout is a transient <see cref="ProviderTimeoutException"/>.</summary>
    [Test]
    public async Task A_server_slower_than_the_request_timeout_is_a_transient_timeout()
    {
        Handler.Response = SingleEmbedding;
        Handler.ServerLatency = TimeSpan.FromHours(2);
        var ex = await CatchAsync(() => Provider.EmbedAsync(One()));
        AssertTypedError(ex, typeof(ProviderTimeoutException), transient: true);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Fuzz (SPEC R3)
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>Mutated bodies (truncations, flips, garbage, invalid UTF-8) end in a result with one vector per input or a typed exception naming the provider; never a hang or an untyped exception.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task Fuzzed_bodies_end_in_a_result_or_a_typed_exception()
    {
        var random = new Random(20260201);
        var failures = new List<string>();
        var bases = new[] { (SingleEmbedding, One()), (BatchEmbedding, Batch()), (DimensionsEmbedding, One()) };
        const int Iterations = 1200;
        int results = 0, typed = 0;
        for (int i = 0; i < Iterations && failures.Count < 10; i++)
        {
            var (original, request) = bases[i % bases.Length];
            var mutated = BodyMutator.Mutate(original.Body, random);
            Handler.Response = original.WithBody(mutated);
            Handler.BodyOptions = new ScriptedBodyOptions { SplitSeed = random.Next(), MaxReadSize = 1 + random.Next(64) };
            var call = Provider.EmbedAsync(request);
            try
            {
                var result = await call.WaitAsync(HangTimeout);
                results++;
                if (result.Embeddings.Count != request.Inputs.Count || result.Embeddings.Any(e => e.Vector.Length == 0))
                {
                    failures.Add($"iteration {i}: {result.Embeddings.Count} vectors for {request.Inputs.Count} inputs (or an empty one). Body: {Encoding.UTF8.GetString(mutated)}");
                }
            }
            catch (LlmProviderException ex)
            {
                typed++;
                if (ex.ProviderName != Provider.Name)
                {
                    failures.Add($"iteration {i}: {ex.GetType().Name} does not name the provider: {ex.Message}");
                }
            }
            catch (TimeoutException) when (!call.IsCompleted)
            {
                failures.Add($"iteration {i}: hang. Body: {Encoding.UTF8.GetString(mutated)}");
            }
            catch (Exception ex)
            {
                failures.Add($"iteration {i}: untyped {ex.GetType().FullName}: {ex.Message}\nBody: {Encoding.UTF8.GetString(mutated)}");
            }
        }

        Assert.That(failures, Is.Empty, () => string.Join("\n\n", failures));
        Assert.That(results + typed, Is.EqualTo(Iterations));
        Assert.That(typed, Is.GreaterThan(0), "The mutations should break some bodies.");
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Helpers
    // ----------------------------------------------------------------------------------------------------------------

    /// <summary>Creates the single-input request (<see cref="Inputs"/>[0], <see cref="RequestedModel"/>).</summary>
    /// <returns>A new request.</returns>
    protected static EmbeddingRequest One() => new(Inputs[0]) { Model = RequestedModel };

    /// <summary>Creates the batch request (<see cref="Inputs"/>, <see cref="RequestedModel"/>).</summary>
    /// <returns>A new request.</returns>
    protected static EmbeddingRequest Batch() => new(Inputs.ToList()) { Model = RequestedModel };

    /// <summary>Writes a vector as a JSON array with invariant culture ("[0.125,-0.5]").</summary>
    /// <param name="vector">The vector.</param>
    /// <returns>The JSON.</returns>
    public static string JsonArray(IEnumerable<float> vector) =>
        "[" + string.Join(",", vector.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";

    /// <summary>Makes a vector of any values for the count-mismatch answers.</summary>
    /// <param name="seed">Distinguishes the vectors.</param>
    /// <returns>A 4-value vector.</returns>
    public static float[] FillerVector(int seed) => [seed, 0.5f, -0.5f, 0.25f];

    /// <summary>Awaits a task with the real-time safety net against hangs.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="task">The task.</param>
    /// <returns>The result.</returns>
    protected static Task<T> Bounded<T>(Task<T> task) => task.WaitAsync(HangTimeout);

    /// <summary>Awaits a task with the real-time safety net against hangs.</summary>
    /// <param name="task">The task.</param>
    /// <returns>A task.</returns>
    protected static Task Bounded(Task task) => task.WaitAsync(HangTimeout);

    /// <summary>Runs an action expected to fail and returns its exception (bounded against hangs); fails the test if it succeeds.</summary>
    /// <param name="action">The action.</param>
    /// <returns>The exception.</returns>
    protected static async Task<Exception> CatchAsync(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Task task;
        try
        {
            task = action();
        }
        catch (Exception ex)
        {
            return ex;
        }

        try
        {
            await task.WaitAsync(HangTimeout);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            Assert.Fail($"The call did not end within {HangTimeout.TotalSeconds} s (a hang).");
        }
        catch (Exception ex)
        {
            return ex;
        }

        Assert.Fail("The call succeeded; an exception was expected.");
        return null!;
    }

    /// <summary>Asserts the exception is exactly <paramref name="expectedType"/>, names the provider, has the transience and no key.</summary>
    /// <param name="exception">The exception.</param>
    /// <param name="expectedType">The type.</param>
    /// <param name="transient">The expected <see cref="LlmProviderException.IsTransient"/>.</param>
    protected void AssertTypedError(Exception exception, Type expectedType, bool transient)
    {
        Assert.That(exception, Is.TypeOf(expectedType), () => $"Got {exception}");
        var typed = (LlmProviderException)exception;
        AssertNamesProvider(typed);
        Assert.That(typed.IsTransient, Is.EqualTo(transient), "IsTransient");
        AssertNoKey(typed, expectedType.Name);
    }

    /// <summary>Asserts the exception names the provider (property and message).</summary>
    /// <param name="exception">The exception.</param>
    protected void AssertNamesProvider(LlmProviderException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Assert.That(exception.ProviderName, Is.EqualTo(Provider.Name));
        Assert.That(exception.Message, Does.Contain(Provider.Name));
    }

    /// <summary>Cuts a body in the middle.</summary>
    /// <param name="body">The body.</param>
    /// <returns>Its first half.</returns>
    protected static byte[] Truncate(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return body[..(body.Length / 2)];
    }

    /// <summary>Inserts an invalid UTF-8 sequence (C3 28) just after the body's first quote (inside a string).</summary>
    /// <param name="body">The body.</param>
    /// <returns>The corrupted copy.</returns>
    protected static byte[] CorruptUtf8(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        int at = Array.IndexOf(body, (byte)'"');
        Assert.That(at, Is.GreaterThanOrEqualTo(0), "The body must hold a string.");
        return [.. body.AsSpan(0, at + 1), 0xC3, 0x28, .. body.AsSpan(at + 1)];
    }

    private static void AssertVector(Embedding<float> embedding, float[] expected, string what)
    {
        Assert.That(embedding.Vector.ToArray(), Is.EqualTo(expected), what);
        Assert.That(embedding.Dimensions, Is.EqualTo(expected.Length), what + " dimensions");
    }

    private void AssertModelUsageAndCost(EmbeddingResult result)
    {
        Assert.Multiple(() =>
        {
            Assert.That(result.ProviderName, Is.EqualTo(Provider.Name), "provider");
            Assert.That(result.Model, Is.EqualTo(ReportsModel ? ExpectedModel : RequestedModel), "model");
            Assert.That(result.Embeddings.Select(e => e.ModelId), Is.All.EqualTo(result.Model), "each embedding's model");
            if (ReportsUsage)
            {
                Assert.That(result.Usage, Is.Not.Null, "usage");
                Assert.That(result.Usage?.InputTokenCount, Is.EqualTo(ExpectedInputTokens), "input tokens");
                Assert.That(result.Usage?.OutputTokenCount ?? 0, Is.EqualTo(0), "an embedding has no output tokens");
            }
            else
            {
                Assert.That(result.Usage, Is.Null, "the provider reports no usage: none is made up");
            }

            if (IsLocal)
            {
                Assert.That(result.Cost, Is.EqualTo(0m), "a local provider's embeddings cost nothing");
            }
            else
            {
                Assert.That(result.Cost, Is.Null, "a cloud provider's cost is unknown until a price catalog exists (never assumed zero)");
                Assert.That(result.IsCostKnown, Is.False);
            }
        });
    }

    private async Task AssertMalformed(CannedResponse response, EmbeddingRequest request)
    {
        Handler.Response = response;
        var ex = await CatchAsync(() => Provider.EmbedAsync(request));
        Assert.That(ex, Is.TypeOf<MalformedResponseException>(), () => $"Got {ex}");
        AssertNamesProvider((LlmProviderException)ex);
        AssertNoKey(ex, "malformed");
    }

    private CannedResponse? GetErrorResponse(ErrorScenario scenario) =>
        scenario == ErrorScenario.BadGatewayHtml ? CannedResponse.HtmlPage(HttpStatusCode.BadGateway) : ErrorResponse(scenario);

    private CannedResponse RequireError(ErrorScenario scenario)
    {
        var response = GetErrorResponse(scenario);
        Assert.That(response, Is.Not.Null, $"Supply the provider's {scenario} error: every provider (or a gateway in front of it) can answer so.");
        return response!;
    }

    private static string Snapshot(EmbeddingRequest request)
    {
        var sb = new StringBuilder();
        sb.Append(request.Model).Append('|').Append(request.Dimensions).Append('|').Append(request.Inputs.Count).Append('|');
        sb.Append(string.Join("\u0001", request.Inputs)).Append('|');
        sb.Append(string.Join(",", request.Tags?.Select(t => t.Key + "=" + t.Value) ?? [])).Append('|');
        sb.Append(request.AdditionalRequestFields?.Count);
        return sb.ToString();
    }

    /// <summary>Asserts no 5-character part of <see cref="ApiKey"/> appears in the exception's message, ToString, body or inner exceptions.</summary>
    /// <param name="exception">The exception.</param>
    /// <param name="what">What produced it, for the failure message.</param>
    protected static void AssertNoKey(Exception exception, string what)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var texts = new List<string> { exception.Message, exception.ToString() };
        if (exception is LlmProviderException { ResponseBody: { } body })
        {
            texts.Add(body);
        }

        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            texts.Add(inner.Message);
        }

        foreach (var text in texts)
        {
            for (int i = 0; i + 5 <= ApiKey.Length; i++)
            {
                var part = ApiKey.Substring(i, 5);
                Assert.That(text, Does.Not.Contain(part), $"{what}: a part of the API key ('{part}') leaked into: {text}");
            }
        }
    }
}

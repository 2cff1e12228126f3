using System;
using System.Text;

namespace LlmProviders.Telemetry;

/// <summary>Instrument, span and attribute names (OpenTelemetry GenAI semantic conventions, plus <c>llmproviders.*</c>).</summary>
internal static class TelemetryNames
{
    public const string OperationDuration = "gen_ai.client.operation.duration";
    public const string TokenUsage = "gen_ai.client.token.usage";
    public const string TimeToFirstChunk = "gen_ai.client.operation.time_to_first_chunk";
    public const string Requests = "llmproviders.requests";
    public const string Retries = "llmproviders.retries";
    public const string Fallbacks = "llmproviders.fallbacks";
    public const string CircuitState = "llmproviders.circuit.state";
    public const string Cost = "llmproviders.cost";
    public const string BudgetRemaining = "llmproviders.budget.remaining";
    public const string InFlight = "llmproviders.requests.in_flight";

    public const string OperationName = "gen_ai.operation.name";
    public const string ProviderName = "gen_ai.provider.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string ResponseModel = "gen_ai.response.model";
    public const string ResponseId = "gen_ai.response.id";
    public const string FinishReasons = "gen_ai.response.finish_reasons";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string TokenType = "gen_ai.token.type";
    public const string RequestTemperature = "gen_ai.request.temperature";
    public const string RequestMaxTokens = "gen_ai.request.max_tokens";
    public const string RequestTopP = "gen_ai.request.top_p";
    public const string InputMessages = "gen_ai.input.messages";
    public const string OutputMessages = "gen_ai.output.messages";
    public const string ErrorType = "error.type";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";

    public const string Route = "llmproviders.route";
    public const string Strategy = "llmproviders.routing.strategy";
    public const string Attempts = "llmproviders.attempts";
    public const string Provider = "llmproviders.provider";
    public const string Outcome = "llmproviders.outcome";
    public const string Hedged = "llmproviders.hedged";
    public const string Budget = "llmproviders.budget";
    public const string BudgetPeriod = "llmproviders.budget.period";
    public const string CircuitStateName = "llmproviders.circuit.state_name";
    public const string SkipReason = "llmproviders.skip.reason";
    public const string SkipDetail = "llmproviders.skip.detail";
    public const string CandidateSkippedEvent = "llmproviders.candidate_skipped";
    public const string FailoverEvent = "llmproviders.failover";
    public const string FirstChunkEvent = "gen_ai.first_chunk";

    public const string Chat = "chat";
    public const string Embeddings = "embeddings";
    public const string Success = "success";
    public const string Failure = "failure";
    public const string Cancelled = "cancelled";
    public const string Input = "input";
    public const string Output = "output";

    /// <summary>The convention's bucket advice for durations in seconds (operation duration, time to first chunk).</summary>
    public static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    /// <summary>The convention's bucket advice for token counts.</summary>
    public static readonly long[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    private static readonly string[] ErrorTypes = CreateErrorTypes();

    /// <summary>The <c>gen_ai.provider.name</c> of the router itself (no convention value exists for a router).</summary>
    public const string RouterProviderName = "llmproviders";

    /// <summary>
    /// Maps a provider kind to the convention's <c>gen_ai.provider.name</c> (the kind itself when the convention has none), ignoring
    /// case; used by metrics, spans and <see cref="Microsoft.Extensions.AI.ChatClientMetadata"/>. Allocates nothing for our kinds.
    /// </summary>
    /// <param name="kind">The provider kind (<see cref="LlmProviderKinds"/>); <see langword="null"/> or empty for a bare chat client.</param>
    /// <returns>The value.</returns>
    public static string ProviderNameOf(string? kind) =>
        string.IsNullOrEmpty(kind) ? LlmProviderKinds.ChatClient
        : Is(kind, LlmProviderKinds.OpenAI) ? "openai"
        : Is(kind, LlmProviderKinds.AzureOpenAI) ? "azure.ai.openai"
        : Is(kind, LlmProviderKinds.Anthropic) ? "anthropic"
        : Is(kind, LlmProviderKinds.Google) ? "gcp.gemini"
        : Is(kind, LlmProviderKinds.Mistral) ? "mistral_ai"
        : Is(kind, LlmProviderKinds.Router) ? RouterProviderName
        : kind.ToLowerInvariant(); // the same instance when already lower case, as every kind of ours is

    private static bool Is(string kind, string known) => string.Equals(kind, known, StringComparison.OrdinalIgnoreCase);

    /// <summary>The <c>error.type</c> of an error kind: its snake_case name (e.g. <c>rate_limited</c>); allocation-free.</summary>
    /// <param name="kind">The error kind.</param>
    /// <returns>The value.</returns>
    public static string ErrorTypeOf(LlmErrorKind kind) => (uint)kind < (uint)ErrorTypes.Length ? ErrorTypes[(int)kind] : "_OTHER";

    private static string[] CreateErrorTypes()
    {
        var values = Enum.GetValues<LlmErrorKind>();
        int max = 0;
        foreach (var v in values)
        {
            max = Math.Max(max, (int)v);
        }

        var names = new string[max + 1];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = "_OTHER";
        }

        foreach (var v in values)
        {
            string name = v.ToString();
            var sb = new StringBuilder(name.Length + 4);
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (char.IsUpper(c))
                {
                    if (i > 0)
                    {
                        sb.Append('_');
                    }

                    sb.Append(char.ToLowerInvariant(c));
                }
                else
                {
                    sb.Append(c);
                }
            }

            names[(int)v] = sb.ToString();
        }

        return names;
    }
}

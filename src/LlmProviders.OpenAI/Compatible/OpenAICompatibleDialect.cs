using System;
using System.Collections.Generic;
using LlmProviders.OpenAI.Wire;

namespace LlmProviders.OpenAI;

/// <summary>
/// What every OpenAI-compatible server shares apart from OpenAI itself: <c>max_tokens</c> (not <c>max_completion_tokens</c>,
/// which open-source servers and strict validators reject), the <c>system</c> role (never <c>developer</c>), the key in a
/// configurable header and scheme, the options' extra headers, and whether the server is local.
/// </summary>
internal abstract class OpenAICompatibleDialect : OpenAIDialect
{
    private readonly bool _isLocal;

    protected OpenAICompatibleDialect(Uri baseUrl, OpenAICompatibleProviderOptions options, bool isLocal, IEnumerable<KeyValuePair<string, string>>? moreHeaders = null)
        : base(baseUrl, options.ApiKey, Headers(options, moreHeaders), options.ApiKeyHeaderName, Scheme(options.ApiKeyScheme))
    {
        _isLocal = isLocal;
    }

    /// <inheritdoc />
    public sealed override bool IsLocal => _isLocal;

    /// <inheritdoc />
    public override string MaxTokensField => "max_tokens";

    /// <inheritdoc />
    public override bool AcceptsReasoningEffort => false;

    /// <inheritdoc />
    public override bool UsesDeveloperRole(string model) => false;

    private static string Scheme(string? scheme) => string.IsNullOrWhiteSpace(scheme) ? string.Empty : scheme.Trim() + " ";

    private static List<KeyValuePair<string, string>> Headers(OpenAICompatibleProviderOptions options, IEnumerable<KeyValuePair<string, string>>? more)
    {
        var headers = new List<KeyValuePair<string, string>>(options.Headers);
        if (more is not null)
        {
            headers.AddRange(more);
        }

        return headers;
    }
}

using System;
using Microsoft.Extensions.AI;

namespace LlmProviders.Anthropic;

/// <summary>
/// Marks Anthropic prompt-cache breakpoints (<c>cache_control</c>) on messages and content. A marked message gets
/// <c>"cache_control":{"type":"ephemeral"}</c> on its last content block (a marked system message: on its system block);
/// a marked content part on its own block. The system prompt and the tool list can also be marked for every request with
/// <see cref="AnthropicProviderOptions.CacheSystemPrompt"/> and <see cref="AnthropicProviderOptions.CacheTools"/>, and a
/// tool whose <see cref="AITool.AdditionalProperties"/> carry <see cref="PropertyName"/> gets its own breakpoint.
/// Other providers ignore the mark.
/// </summary>
public static class AnthropicCacheControl
{
    /// <summary>The key of the mark in <see cref="ChatMessage.AdditionalProperties"/> or <see cref="AIContent.AdditionalProperties"/>; the value is the cache lifetime (<c>5m</c> or <c>1h</c>) or <see langword="true"/> for the default.</summary>
    public const string PropertyName = "anthropic.cache_control";

    /// <summary>Marks <paramref name="message"/> as a cache breakpoint: the prompt up to and including it is cached.</summary>
    /// <param name="message">The message.</param>
    /// <param name="ttl">The cache lifetime (<c>5m</c> or <c>1h</c>), or <see langword="null"/> for Anthropic's default (5 minutes).</param>
    /// <returns>The same message, for chaining.</returns>
    public static ChatMessage WithAnthropicCacheBreakpoint(this ChatMessage message, string? ttl = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        (message.AdditionalProperties ??= [])[PropertyName] = ttl ?? (object)true;
        return message;
    }

    /// <summary>Marks <paramref name="content"/> as a cache breakpoint: the prompt up to and including this block is cached.</summary>
    /// <typeparam name="TContent">The content type.</typeparam>
    /// <param name="content">The content.</param>
    /// <param name="ttl">The cache lifetime (<c>5m</c> or <c>1h</c>), or <see langword="null"/> for Anthropic's default (5 minutes).</param>
    /// <returns>The same content, for chaining.</returns>
    public static TContent WithAnthropicCacheBreakpoint<TContent>(this TContent content, string? ttl = null)
        where TContent : AIContent
    {
        ArgumentNullException.ThrowIfNull(content);
        (content.AdditionalProperties ??= [])[PropertyName] = ttl ?? (object)true;
        return content;
    }

    /// <summary>Reads the mark: <see langword="null"/> when absent (or <see langword="false"/>), else the lifetime (empty for the default).</summary>
    internal static string? Read(AdditionalPropertiesDictionary? properties)
    {
        if (properties is null || !properties.TryGetValue(PropertyName, out var value) || value is null || value is false)
        {
            return null;
        }

        return value is string s ? s.Trim() : string.Empty;
    }
}

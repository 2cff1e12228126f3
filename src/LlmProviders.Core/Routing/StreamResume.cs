using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.Extensions.AI;

namespace LlmProviders.Routing;

/// <summary>
/// What the router does with the next target's stream after a stream failed once updates had reached the caller (SPEC RT6):
/// <see cref="StreamInterruptionPolicy.Restart"/> discards the part of the new answer the caller already has, or, when the new
/// answer differs, marks an update <see cref="ChatStreamUpdate.RestartsAnswer"/> carrying the whole new text so far;
/// <see cref="StreamInterruptionPolicy.Continue"/> asks the next target to continue the partial answer (assistant prefill).
/// </summary>
internal sealed class StreamResume
{
    private readonly string _delivered;
    private StringBuilder? _fresh;
    private int _matched;
    private bool _settled;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="mode">Restart or Continue.</param>
    /// <param name="delivered">The text the caller holds.</param>
    public StreamResume(StreamInterruptionPolicy mode, string delivered)
    {
        Mode = mode;
        _delivered = delivered;
    }

    /// <summary>Gets the policy being applied.</summary>
    public StreamInterruptionPolicy Mode { get; }

    /// <summary>Tells whether a target can continue a partial answer: it accepts assistant prefill and the request has no tools.</summary>
    /// <param name="provider">The target's provider.</param>
    /// <param name="request">The caller's request.</param>
    /// <returns><see langword="true"/> when the target can continue.</returns>
    public static bool CanContinue(ILlmProvider provider, ChatRequest request) =>
        (provider.Capabilities & LlmCapabilities.AssistantPrefill) != 0 && (request.Tools is null || request.Tools.Count == 0);

    /// <summary>Builds the request that asks a target to continue: the conversation plus the partial answer as an assistant prefill.</summary>
    /// <param name="attemptRequest">The request as the target would receive it.</param>
    /// <returns>A copy with the partial answer appended.</returns>
    public ChatRequest CreateContinueRequest(ChatRequest attemptRequest)
    {
        var copy = attemptRequest.Clone();
        var messages = new List<ChatMessage>(copy.Messages.Count + 1);
        messages.AddRange(copy.Messages);
        messages.Add(new ChatMessage(ChatRole.Assistant, _delivered));
        copy.Messages = messages;
        return copy;
    }

    /// <summary>Starts a new attempt (Restart compares its answer with the delivered text from the start).</summary>
    public void BeginAttempt()
    {
        _fresh?.Clear();
        _matched = 0;
        _settled = Mode != StreamInterruptionPolicy.Restart || _delivered.Length == 0;
    }

    /// <summary>Filters a non-final update of the new attempt.</summary>
    /// <param name="update">The update.</param>
    /// <returns>The update to hand to the caller (possibly with less text, or restarting the answer), or <see langword="null"/> to swallow it.</returns>
    public ChatStreamUpdate? Filter(ChatStreamUpdate update)
    {
        if (_settled || string.IsNullOrEmpty(update.Text))
        {
            return _settled || update.ReasoningText is null ? update : null; // reasoning already shown is not shown twice
        }

        string text = update.Text;
        (_fresh ??= new StringBuilder()).Append(text);
        int remaining = _delivered.Length - _matched;
        int compare = Math.Min(remaining, text.Length);
        if (!text.AsSpan(0, compare).SequenceEqual(_delivered.AsSpan(_matched, compare)))
        {
            // The new answer differs from what the caller holds: it must start over.
            _settled = true;
            update.Text = _fresh.ToString();
            update.RestartsAnswer = true;
            return update;
        }

        _matched += compare;
        if (text.Length <= remaining)
        {
            return null; // the caller already has this text
        }

        _settled = true;
        update.Text = text[remaining..];
        return update;
    }

    /// <summary>
    /// At the new attempt's final update: when its answer is shorter than what the caller holds (a strict prefix), the caller
    /// must start over with it.
    /// </summary>
    /// <param name="restart">The update to hand over before the final one.</param>
    /// <returns><see langword="true"/> when <paramref name="restart"/> must be handed over.</returns>
    public bool TryCompleteShort(out ChatStreamUpdate? restart)
    {
        restart = null;
        if (_settled)
        {
            return false;
        }

        _settled = true;
        restart = new ChatStreamUpdate { Text = _fresh?.ToString() ?? string.Empty, RestartsAnswer = true };
        return true;
    }
}

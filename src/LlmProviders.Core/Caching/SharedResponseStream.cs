using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Caching;

/// <summary>
/// One upstream stream that identical concurrent streamed requests share. The upstream is pumped into a recording at its own pace
/// (never waiting for a subscriber); each subscriber reads the recording from the start at its own pace, then waits for the next
/// update. The recording is what the cache stores, so a slow subscriber costs no more memory than the stream itself.
/// </summary>
/// <remarks>
/// Updates, the end and the failure are published under a small lock (a stream's updates arrive one at a time and the lock is held
/// for a list access only); subscribers are woken through a completion source that runs their continuations asynchronously, so the
/// pump never runs a subscriber's code.
/// </remarks>
internal sealed class SharedResponseStream : InFlightShare
{
    private readonly Lock _gate = new();
    private readonly List<Item> _items = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _ended;
    private ExceptionDispatchInfo? _failure;

    /// <summary>What a subscriber finds at its position.</summary>
    public enum Next
    {
        /// <summary>An update is there.</summary>
        Update,

        /// <summary>Nothing yet: wait for the returned task.</summary>
        Wait,

        /// <summary>The stream ended (or failed: then the failure is thrown).</summary>
        End,
    }

    /// <summary>Publishes an update.</summary>
    /// <param name="original">The update as the upstream produced it (the leader's).</param>
    /// <param name="recorded">Its recording, or <see langword="null"/> when it could not be serialized.</param>
    /// <param name="snapshot">A copy taken before anyone saw it, for the followers when <paramref name="recorded"/> is <see langword="null"/>.</param>
    public void Publish(ChatStreamUpdate original, ResponseCacheUpdate? recorded, ChatStreamUpdate? snapshot)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            _items.Add(new Item(original, recorded, snapshot));
            signal = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }

    /// <summary>Ends the stream: every subscriber reads what is left, then ends (or gets <paramref name="failure"/>).</summary>
    /// <param name="failure">The upstream's failure, or <see langword="null"/> when it ran to its end.</param>
    public void End(Exception? failure)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            _ended = true;
            _failure = failure is null ? null : ExceptionDispatchInfo.Capture(failure);
            signal = _changed;
        }

        signal.TrySetResult();
    }

    /// <summary>Reads position <paramref name="index"/>.</summary>
    /// <param name="index">The subscriber's position.</param>
    /// <param name="item">The update there, when the result is <see cref="Next.Update"/>.</param>
    /// <param name="wait">The task to wait for, when the result is <see cref="Next.Wait"/>.</param>
    /// <returns>What is there. Throws the upstream's failure (the same exception for every subscriber) once the recording is read.</returns>
    public Next Read(int index, out Item item, out Task? wait)
    {
        ExceptionDispatchInfo? failure;
        lock (_gate)
        {
            if (index < _items.Count)
            {
                item = _items[index];
                wait = null;
                return Next.Update;
            }

            item = default;
            if (!_ended)
            {
                wait = _changed.Task;
                return Next.Wait;
            }

            wait = null;
            failure = _failure;
        }

        failure?.Throw();
        return Next.End;
    }

    /// <summary>One published update.</summary>
    /// <param name="Original">The update as the upstream produced it.</param>
    /// <param name="Recorded">Its recording, or <see langword="null"/>.</param>
    /// <param name="Snapshot">A copy for the followers when it could not be recorded.</param>
    internal readonly record struct Item(ChatStreamUpdate Original, ResponseCacheUpdate? Recorded, ChatStreamUpdate? Snapshot)
    {
        /// <summary>Creates a follower's own update, flagged as coming from the cache.</summary>
        /// <returns>The update.</returns>
        public ChatStreamUpdate ForFollower()
        {
            if (Recorded is { } recorded)
            {
                return recorded.ToUpdate();
            }

            var copy = Copy(Snapshot ?? Original);
            copy.FromCache = true;
            return copy;
        }
    }

    /// <summary>A shallow copy of an update's answer (not its latency, trace or cache flag).</summary>
    /// <param name="update">The update.</param>
    /// <returns>The copy.</returns>
    public static ChatStreamUpdate Copy(ChatStreamUpdate update) => new()
    {
        Text = update.Text,
        ReasoningText = update.ReasoningText,
        ReasoningProtectedData = update.ReasoningProtectedData,
        Refusal = update.Refusal,
        ToolCalls = update.ToolCalls,
        RestartsAnswer = update.RestartsAnswer,
        IsFinal = update.IsFinal,
        FinishReason = update.FinishReason,
        ContentFilterCategories = update.ContentFilterCategories,
        Usage = update.Usage,
        Cost = update.Cost,
        ResponseId = update.ResponseId,
        ProviderName = update.ProviderName,
        Model = update.Model,
        AdditionalProperties = update.AdditionalProperties,
    };
}

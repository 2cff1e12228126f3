using System;
using System.Collections.Generic;
using LlmProviders.Costs;
using LlmProviders.Testing;
using Microsoft.Extensions.Logging;

namespace LlmProviders.Tests.Costs.Budgets;

/// <summary>Builds budget managers and calls for the budget tests.</summary>
internal static class BudgetTestKit
{
    /// <summary>Thursday 1 January 2026, 10:00 UTC.</summary>
    public static readonly DateTimeOffset Morning = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

    public static BudgetManager Manager(SpendTableLedgerStore store, TimeProvider time, params CostBudget[] budgets) =>
        new(store, new BudgetOptions { Budgets = budgets }, time);

    public static BudgetManager Manager(SpendTableLedgerStore store, TimeProvider time, string timeZoneId, params CostBudget[] budgets) =>
        new(store, new BudgetOptions { Budgets = budgets, TimeZoneId = timeZoneId }, time);

    public static ManualTimeProvider Clock(DateTimeOffset? start = null) => new(start ?? Morning);

    public static BudgetCallContext Call(string provider = "openai", string? model = "gpt-4o", params (string Key, string Value)[] tags)
    {
        Dictionary<string, string>? dictionary = null;
        if (tags.Length > 0)
        {
            dictionary = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in tags)
            {
                dictionary[key] = value;
            }
        }

        return new BudgetCallContext(provider, null, model, dictionary);
    }

    public static BudgetCallContext Workspace(string workspace) => Call(tags: ("workspace", workspace));
}

/// <summary>A logger that keeps what is logged, for tests that assert on warnings.</summary>
internal sealed class CapturingLogger : ILogger<BudgetManager>
{
    private readonly List<(LogLevel Level, EventId Id, string Message, Exception? Exception)> _entries = [];

    public IReadOnlyList<(LogLevel Level, EventId Id, string Message, Exception? Exception)> Entries
    {
        get
        {
            lock (_entries)
            {
                return _entries.ToArray();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add((logLevel, eventId, formatter(state, exception), exception));
        }
    }
}

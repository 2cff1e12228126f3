using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Tests.Routing.Management;

/// <summary>The hot path under concurrent changes: no exception, no torn state, no removed provider after removal returned.</summary>
public sealed class ProviderRegistryConcurrencyTests
{
    private const int Rounds = 300;
    private const int Readers = 2;

    [Test]
    public async Task Resolve_from_many_threads_during_adds_and_removes_never_throws_and_never_returns_a_removed_provider()
    {
        var configured = new FakeProvider("configured");
        var registry = ManagementTestKit.Registry([configured]);
        var providers = Enumerable.Range(0, Rounds).Select(i => new FakeProvider("p" + i)).ToArray();
        int removedUpTo = 0; // providers[0 .. removedUpTo) have been removed (RemoveProvider returned).
        int done = 0;
        var failures = new ConcurrentQueue<string>();
        long resolutions = 0;

        var readers = Enumerable.Range(0, Readers).Select(r => Task.Run(() =>
        {
            var random = new Random(r);
            while (Volatile.Read(ref done) == 0)
            {
                try
                {
                    int removed = Volatile.Read(ref removedUpTo);
                    if (removed > 0)
                    {
                        int k = random.Next(removed);
                        if (registry.Resolve(providers[k].Name) is not null)
                        {
                            failures.Enqueue($"p{k} resolved after its removal returned");
                        }
                    }

                    if (registry.Resolve("configured") != configured)
                    {
                        failures.Enqueue("the configured provider did not resolve");
                    }

                    if (removed < Rounds && registry.Resolve(providers[removed].Name) is { } current && current != providers[removed])
                    {
                        failures.Enqueue($"p{removed} resolved to another instance");
                    }

                    if (r == 0)
                    {
                        _ = registry.ListProviders();
                    }

                    Interlocked.Increment(ref resolutions);
                }
                catch (Exception ex)
                {
                    failures.Enqueue(ex.ToString());
                    return;
                }
            }
        })).ToArray();

        var writer = Task.Run(() =>
        {
            try
            {
                for (int i = 0; i < Rounds; i++)
                {
                    registry.AddProvider(providers[i]);
                    registry.RemoveProvider(providers[i].Name);
                    Volatile.Write(ref removedUpTo, i + 1);
                }
            }
            finally
            {
                Volatile.Write(ref done, 1);
            }
        });

        await writer;
        await Task.WhenAll(readers);

        Assert.That(failures, Is.Empty);
        Assert.That(registry.Version, Is.EqualTo(2L * Rounds));
        Assert.That(registry.ListProviders().Select(s => s.Name), Is.EqualTo(new[] { "configured" }));
        Assert.That(Interlocked.Read(ref resolutions), Is.GreaterThan(0));
    }

    [Test]
    public async Task Concurrent_adds_of_distinct_names_all_land_and_duplicates_land_once()
    {
        var registry = ManagementTestKit.Registry([]);
        var duplicates = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                registry.AddProvider(new FakeProvider($"t{t}-{i}"));
                try
                {
                    registry.AddProvider(new FakeProvider("shared-" + i));
                }
                catch (InvalidOperationException)
                {
                    Interlocked.Increment(ref duplicates);
                }
            }
        })));

        Assert.That(registry.ListProviders(), Has.Count.EqualTo((8 * 200) + 200));
        Assert.That(duplicates, Is.EqualTo(7 * 200));
    }
}

using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace LlmProviders.Health;

/// <summary>Starts and stops the health monitor with the host.</summary>
/// <param name="monitor">The monitor.</param>
internal sealed class HealthMonitorHostedService(ILlmHealthMonitor monitor) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => monitor.StartAsync(cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => monitor.StopAsync(cancellationToken);
}

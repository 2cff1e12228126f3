using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace LlmProviders.Configuration;

/// <summary>
/// Finds the <see cref="LlmProviderConfigurationAttribute"/>s of the loaded assemblies and of the <c>LlmProviders.*</c> assemblies
/// deployed with the application (the packages it references, loaded by name from its base directory, so a package whose types
/// the code never touched is found too). No reflection over members: only assembly attributes and the binders' public
/// parameterless constructors, which the attribute keeps. (Walking <c>GetReferencedAssemblies</c> is not trim-safe, and the
/// compiler drops references to assemblies whose types are unused, so the base directory is the reliable list.)
/// </summary>
internal static class ConfigurationBinderDiscovery
{
    private const string Prefix = "LlmProviders.";

    public static void Discover(LlmProvidersConfigurationState state)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<Assembly>(AppDomain.CurrentDomain.GetAssemblies());
        foreach (var name in ApplicationAssemblyNames())
        {
            if (TryLoad(new AssemblyName(name)) is { } assembly)
            {
                queue.Enqueue(assembly);
            }
        }

        while (queue.Count > 0)
        {
            var assembly = queue.Dequeue();
            if (assembly.IsDynamic || !seen.Add(assembly.FullName ?? assembly.GetName().Name ?? string.Empty))
            {
                continue;
            }

            foreach (var attribute in assembly.GetCustomAttributes<LlmProviderConfigurationAttribute>())
            {
                if (Activator.CreateInstance(attribute.BinderType) is ILlmProviderConfigurationBinder binder)
                {
                    state.AddBinder(binder, attribute.Types, replace: false);
                }
            }

        }
    }

    private static List<string> ApplicationAssemblyNames()
    {
        var names = new List<string>();
        try
        {
            var directory = AppContext.BaseDirectory;
            if (!string.IsNullOrEmpty(directory) && Directory.Exists(directory))
            {
                foreach (var file in Directory.EnumerateFiles(directory, Prefix + "*.dll"))
                {
                    names.Add(Path.GetFileNameWithoutExtension(file));
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return names;
    }

    private static Assembly? TryLoad(AssemblyName name)
    {
        try
        {
            return Assembly.Load(name);
        }
        catch (IOException)
        {
            return null;
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }
}

using System.Text.Json.Serialization;

namespace LlmProviders.Security.Tests.Wire;

/// <summary>Source-generated JSON for string literals in scripted bodies.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class StringContext : JsonSerializerContext;

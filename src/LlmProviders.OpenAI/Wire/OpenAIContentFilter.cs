using System.Collections.Generic;
using System.Text.Json;
using LlmProviders.Http;

namespace LlmProviders.OpenAI.Wire;

/// <summary>
/// Reads Azure OpenAI's content-filter annotations (<c>choices[].content_filter_results</c>, an error's
/// <c>innererror.content_filter_result</c>): <c>{"hate":{"filtered":false,"severity":"safe"},"violence":{"filtered":true,…},…}</c>.
/// Other services never send them; the shared parsers read them for everyone.
/// </summary>
internal static class OpenAIContentFilter
{
    /// <summary>
    /// Reads a content-filter results object (the reader is on its property name) and adds the names of the categories whose
    /// <c>filtered</c> is <see langword="true"/> to <paramref name="categories"/> (once each). Allocates nothing when none is filtered.
    /// </summary>
    /// <param name="reader">The reader, on the property name.</param>
    /// <param name="categories">The filtered categories so far; created on the first one.</param>
    public static void ReadFilteredCategories(ref Utf8JsonReader reader, ref List<string>? categories)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // A copy of the reader on the category name: the name is only read (allocated) when the category was filtered.
            var name = reader;
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            bool filtered = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("filtered"u8))
                {
                    reader.Read();
                    filtered = reader.TokenType == JsonTokenType.True;
                    reader.Skip();
                }
                else
                {
                    Utf8JsonHelpers.SkipValue(ref reader);
                }
            }

            Utf8JsonHelpers.EnsureEndObject(ref reader);
            if (filtered && name.GetString() is { Length: > 0 } category && (categories is null || !categories.Contains(category)))
            {
                (categories ??= []).Add(category);
            }
        }

        Utf8JsonHelpers.EnsureEndObject(ref reader);
    }
}

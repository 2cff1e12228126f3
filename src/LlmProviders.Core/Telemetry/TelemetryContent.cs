using System.Buffers;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmProviders.Telemetry;

/// <summary>
/// Writes message content as the GenAI conventions' <c>gen_ai.input.messages</c> / <c>gen_ai.output.messages</c> JSON
/// (only with <see cref="LlmTelemetryOptions.EnableSensitiveData"/>). Hand-written with <see cref="Utf8JsonWriter"/>: no reflection.
/// Text, reasoning, tool calls (name and id) and tool results (id) are written; other content as its type only.
/// </summary>
internal static class TelemetryContent
{
    public static string Messages(IList<ChatMessage> messages)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var message in messages)
            {
                WriteMessage(writer, message.Role.Value, message.Contents, null);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string Output(ChatMessage? message, string? text, string? finishReason)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            if (message is not null)
            {
                WriteMessage(writer, message.Role.Value, message.Contents, finishReason);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteString("role", "assistant");
                writer.WriteStartArray("parts");
                WriteText(writer, "text", text ?? string.Empty);
                writer.WriteEndArray();
                if (finishReason is not null)
                {
                    writer.WriteString("finish_reason", finishReason);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteMessage(Utf8JsonWriter writer, string role, IList<AIContent> contents, string? finishReason)
    {
        writer.WriteStartObject();
        writer.WriteString("role", role);
        writer.WriteStartArray("parts");
        foreach (var content in contents)
        {
            switch (content)
            {
                case TextContent text:
                    WriteText(writer, "text", text.Text);
                    break;
                case TextReasoningContent reasoning:
                    WriteText(writer, "reasoning", reasoning.Text);
                    break;
                case FunctionCallContent call:
                    writer.WriteStartObject();
                    writer.WriteString("type", "tool_call");
                    writer.WriteString("id", call.CallId);
                    writer.WriteString("name", call.Name);
                    writer.WriteEndObject();
                    break;
                case FunctionResultContent result:
                    writer.WriteStartObject();
                    writer.WriteString("type", "tool_call_response");
                    writer.WriteString("id", result.CallId);
                    if (result.Result is string s)
                    {
                        writer.WriteString("response", s);
                    }

                    writer.WriteEndObject();
                    break;
                default:
                    writer.WriteStartObject();
                    writer.WriteString("type", content.GetType().Name);
                    writer.WriteEndObject();
                    break;
            }
        }

        writer.WriteEndArray();
        if (finishReason is not null)
        {
            writer.WriteString("finish_reason", finishReason);
        }

        writer.WriteEndObject();
    }

    private static void WriteText(Utf8JsonWriter writer, string type, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", type);
        writer.WriteString("content", text);
        writer.WriteEndObject();
    }
}

using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace LlmProviders.Tests.Costs.Catalog;

/// <summary>A LiteLLM price map in the upstream format, with good, bad and odd entries.</summary>
internal static class LiteLlmSample
{
    public const string Json = """
        {
          "sample_spec": {
            "max_tokens": "LEGACY parameter. set to max_output_tokens if provider specifies it.",
            "input_cost_per_token": 0.0, "output_cost_per_token": 0.0,
            "litellm_provider": "one of https://docs.litellm.ai/docs/providers", "mode": "one of: chat, embedding, completion, image_generation",
            "supports_function_calling": true
          },
          "gpt-4o": {
            "litellm_provider": "openai", "mode": "chat",
            "max_input_tokens": 128000, "max_output_tokens": 16384, "max_tokens": 16384,
            "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05,
            "cache_read_input_token_cost": 1.25e-06, "input_cost_per_token_batches": 1.25e-06,
            "supports_function_calling": true, "supports_parallel_function_calling": true, "supports_vision": true,
            "supports_response_schema": true, "supports_prompt_caching": true, "supports_tool_choice": true,
            "some_future_field": {"nested": [1, 2, {"x": null}]}
          },
          "claude-sonnet-4-5": {
            "litellm_provider": "anthropic", "mode": "chat",
            "max_input_tokens": 200000, "max_output_tokens": 64000,
            "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
            "cache_read_input_token_cost": 3e-07, "cache_creation_input_token_cost": 3.75e-06,
            "cache_creation_input_token_cost_above_1hr": 6e-06,
            "input_cost_per_token_above_200k_tokens": 6e-06, "output_cost_per_token_above_200k_tokens": 2.25e-05,
            "cache_read_input_token_cost_above_200k_tokens": 6e-07, "cache_creation_input_token_cost_above_200k_tokens": 7.5e-06,
            "supports_reasoning": true, "supports_prompt_caching": true, "supports_assistant_prefill": true,
            "source": "https://www.anthropic.com/pricing"
          },
          "gemini/gemini-2.5-pro": {
            "litellm_provider": "gemini", "mode": "chat", "max_input_tokens": 1048576, "max_output_tokens": 65535,
            "input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05, "output_cost_per_reasoning_token": 1e-05,
            "input_cost_per_token_above_200k_tokens": 2.5e-06, "output_cost_per_token_above_200k_tokens": 1.5e-05,
            "deprecation_date": "2026-06-17", "supports_reasoning": true
          },
          "gemini-2.5-pro": {
            "litellm_provider": "vertex_ai-language-models", "mode": "chat",
            "input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05
          },
          "azure/gpt-4o-mini": {
            "litellm_provider": "azure", "mode": "chat", "max_tokens": 16384,
            "input_cost_per_token": 1.65e-07, "output_cost_per_token": 6.6e-07
          },
          "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo": {
            "litellm_provider": "together_ai", "mode": "chat", "input_cost_per_token": 8.8e-07, "output_cost_per_token": 8.8e-07
          },
          "openrouter/anthropic/claude-3.5-sonnet": {
            "litellm_provider": "openrouter", "mode": "chat", "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05
          },
          "ollama/llama3": {
            "litellm_provider": "ollama", "mode": "chat", "max_input_tokens": 8192, "max_output_tokens": 8192,
            "input_cost_per_token": 0.0, "output_cost_per_token": 0.0
          },
          "text-embedding-3-small": {
            "litellm_provider": "openai", "mode": "embedding", "max_input_tokens": 8191, "input_cost_per_token": 2e-08, "output_cost_per_token": 0.0
          },
          "qwen-tiered": {
            "litellm_provider": "dashscope", "mode": "chat",
            "tiered_pricing": [
              {"input_cost_per_token": 1e-06, "output_cost_per_token": 5e-06, "range": [0, 256000.0]},
              {"input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05, "range": [256000.0, 1000000.0]}
            ]
          },
          "dall-e-3": { "litellm_provider": "openai", "mode": "image_generation", "input_cost_per_pixel": 4.0054321e-08 },
          "negative-model": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": -1e-06, "output_cost_per_token": 1e-06 },
          "string-price": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": "0.000001", "output_cost_per_token": 1e-06 },
          "no-price": { "litellm_provider": "openai", "mode": "chat", "max_tokens": 4096 },
          "no-provider": { "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06 },
          "not-an-object": 42,
          "also-not-an-object": ["chat"],
          "gpt-4o ": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 5e-06, "output_cost_per_token": 1.5e-05 }
        }
        """;

    public static byte[] Utf8 => System.Text.Encoding.UTF8.GetBytes(Json);
}

/// <summary>Collects log lines.</summary>
internal sealed class CapturingLogger : ILogger
{
    private readonly Lock gate = new();

    public List<(LogLevel Level, string Message)> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (gate)
        {
            Lines.Add((logLevel, formatter(state, exception)));
        }
    }
}

using System;
using LlmProviders.Costs;
using LlmProviders.Testing;

namespace LlmProviders.Tests.Costs.Budgets;

public class BudgetOptionsValidatorTests
{
    [Test]
    public void Default_options_and_a_valid_budget_set_are_valid()
    {
        var options = new BudgetOptions
        {
            TimeZoneId = "Europe/Berlin",
            Budgets =
            [
                new CostBudget { Name = "daily", Limit = 50m },
                new CostBudget { Name = "per-workspace", Limit = 10m, TagKey = "workspace", AlertThresholds = [0.5, 0.8, 1.0] },
                new CostBudget { Name = "free", Limit = 0m, AlertThresholds = [] },
            ],
        };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(BudgetOptionsValidator.Instance.Validate(null, new BudgetOptions()).Succeeded, Is.True);
            Assert.That(BudgetOptionsValidator.Instance.Validate(null, options).Succeeded, Is.True);
        }
    }

    [Test]
    public void An_empty_name_is_rejected()
    {
        Assert.That(Failure(new CostBudget { Limit = 1m }), Does.Contain("Budgets[0].Name is empty; give every budget a unique name"));
    }

    [Test]
    public void A_duplicate_name_names_both_budgets()
    {
        var message = Failure(new CostBudget { Name = "daily", Limit = 1m }, new CostBudget { Name = "Daily", Limit = 2m });

        Assert.That(message, Does.Contain("Budgets[1].Name 'Daily' is already the name of Budgets[0]"));
    }

    [Test]
    public void A_negative_limit_is_rejected()
    {
        Assert.That(Failure(new CostBudget { Name = "daily", Limit = -5m }), Does.Contain("Budgets[0].Limit is -5 (budget 'daily'); it must be 0 or more"));
    }

    [TestCase(0.0, "0")]
    [TestCase(-0.2, "-0.2")]
    [TestCase(1.5, "1.5")]
    [TestCase(double.NaN, "NaN")]
    public void A_threshold_outside_0_to_1_is_rejected(double threshold, string shown)
    {
        var message = Failure(new CostBudget { Name = "daily", Limit = 1m, AlertThresholds = [0.8, threshold] });

        Assert.That(message, Does.Contain($"Budgets[0].AlertThresholds[1] is {shown} (budget 'daily'); a threshold is a fraction of the limit above 0 and at most 1"));
    }

    [Test]
    public void A_tag_value_without_a_tag_key_is_rejected()
    {
        var message = Failure(new CostBudget { Name = "acme", Limit = 1m, TagValue = "acme" });

        Assert.That(message, Does.Contain("Budgets[0].TagValue is 'acme' but TagKey is not set (budget 'acme'); set TagKey too"));
    }

    [Test]
    public void An_unknown_time_zone_is_rejected_with_examples()
    {
        var result = BudgetOptionsValidator.Instance.Validate(null, new BudgetOptions { TimeZoneId = "Mars/Olympus_Mons" });

        Assert.That(result.FailureMessage, Does.Contain("TimeZoneId 'Mars/Olympus_Mons' is not a time zone this system knows; use an IANA id (\"Europe/Berlin\""));
    }

    [Test]
    public void A_null_budget_is_rejected()
    {
        Assert.That(Failure(new CostBudget { Name = "daily", Limit = 1m }, null!), Does.Contain("Budgets[1] is null"));
    }

    [Test]
    public void Every_problem_is_reported_at_once()
    {
        var result = BudgetOptionsValidator.Instance.Validate(null, new BudgetOptions
        {
            Budgets = [new CostBudget { Limit = -1m }, new CostBudget { Name = "x", Limit = 1m, AlertThresholds = [2] }],
        });

        Assert.That(result.Failures, Has.Exactly(3).Items);
    }

    [Test]
    public void The_manager_refuses_invalid_options_with_the_validator_message()
    {
        var options = new BudgetOptions { Budgets = [new CostBudget { Name = "daily", Limit = -1m }] };

        Assert.That(
            () => new BudgetManager(new SpendTableLedgerStore(), options, new ManualTimeProvider()),
            Throws.ArgumentException.With.Message.Contains("Budgets[0].Limit is -1 (budget 'daily')").And.Property(nameof(ArgumentException.ParamName)).EqualTo("options"));
    }

    private static string Failure(params CostBudget[] budgets)
    {
        var result = BudgetOptionsValidator.Instance.Validate(null, new BudgetOptions { Budgets = budgets });
        Assert.That(result.Failed, Is.True);
        return result.FailureMessage ?? string.Empty;
    }
}

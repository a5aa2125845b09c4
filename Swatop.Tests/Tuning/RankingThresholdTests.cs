using Swatop.Core.Tuning;

namespace Swatop.Tests.Tuning;

/// <summary>
/// The threshold the ranking threads share is the worst of the best distinct estimates any of them has made: the
/// tightest a family's bound can be held to without skipping one of the best.
/// </summary>
public sealed class RankingThresholdTests
{
    [Test]
    public void A_rankings_threshold_is_infinite_until_it_has_seen_as_many_distinct_estimates_as_it_keeps()
    {
        var ranking = new Ranking(3);
        ranking.Offer(2.0);
        ranking.Offer(2.0);
        ranking.Offer(1.0);
        Assert.That(ranking.Threshold, Is.EqualTo(double.PositiveInfinity), "two distinct estimates of three");
        ranking.Offer(5.0);
        Assert.That(ranking.Threshold, Is.EqualTo(5.0));
    }

    [Test]
    public void A_rankings_threshold_is_the_worst_of_the_best_distinct_estimates_offered_by_every_thread()
    {
        const int keep = 8;
        var estimates = Enumerable.Range(0, 20_000).Select(i => (double)((i * 7919) % 4_999)).ToArray();
        var ranking = new Ranking(keep);
        Parallel.For(0, 4, part =>
        {
            for (var i = part; i < estimates.Length; i += 4)
            {
                ranking.Offer(estimates[i]);
            }
        });

        var expected = estimates.Distinct().Order().ElementAt(keep - 1);
        Assert.That(ranking.Threshold, Is.EqualTo(expected));
    }

    [Test]
    public void A_rankings_threshold_is_below_what_one_thread_alone_has_seen_once_the_others_do_better()
    {
        var ranking = new Ranking(2);
        ranking.Offer(10.0);
        ranking.Offer(9.0);
        Assert.That(ranking.Threshold, Is.EqualTo(10.0));

        // Another thread's estimates, both better: the threshold falls to them, not to the worse of each thread's own.
        ranking.Offer(3.0);
        ranking.Offer(4.0);
        Assert.That(ranking.Threshold, Is.EqualTo(4.0));
        ranking.Offer(4.0);
        ranking.Offer(7.0);
        Assert.That(ranking.Threshold, Is.EqualTo(4.0), "a repeated or a worse estimate changes nothing");
    }
}

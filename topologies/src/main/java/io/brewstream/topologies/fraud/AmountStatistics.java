package io.brewstream.topologies.fraud;

import java.math.BigInteger;

import io.brewstream.schemas.fraud.CustomerRisk;

/** Mean and sample standard deviation of a customer's order totals, from the exact count, sum and sum of squares. */
public record AmountStatistics(long count, double mean, double standardDeviation) {

    public static AmountStatistics of(CustomerRisk risk) {
        long n = risk.getAmountCount();
        if (n == 0) {
            return new AmountStatistics(0, 0, 0);
        }
        double mean = (double) risk.getAmountSumMinor() / n;
        if (n == 1) {
            return new AmountStatistics(n, mean, 0);
        }
        // (n * sum of squares - sum^2) / (n (n - 1)), in integers so nothing cancels away
        BigInteger sum = BigInteger.valueOf(risk.getAmountSumMinor());
        BigInteger numerator = BigInteger.valueOf(n).multiply(BigInteger.valueOf(risk.getAmountSumOfSquares()))
                .subtract(sum.multiply(sum));
        double variance = numerator.doubleValue() / ((double) n * (n - 1));
        return new AmountStatistics(n, mean, Math.sqrt(Math.max(0, variance)));
    }
}

package com.closeout.bench;

/**
 * What the peer (the same workflow on another engine) measured on the same cases and database.
 *
 * @param commitsPerClosure PostgreSQL commits per closure (pg_stat_database), or NaN if unknown
 * @param statementsPerClosure JDBC statements per closure, or NaN if unknown
 */
public record PeerRun(
    String name,
    double closuresPerSecond,
    double p50Millis,
    double p99Millis,
    double commitsPerClosure,
    double statementsPerClosure) {}

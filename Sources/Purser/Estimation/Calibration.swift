/// One finished run's estimate beside what it actually cost.
public struct CalibrationRecord: Sendable, Hashable, Codable {
    public var workflow: String
    public var runID: RunID
    public var expectedCost: Money
    public var p50Cost: Money
    public var p95Cost: Money
    public var worstCaseCost: Money
    public var actualCost: Money
    public var expectedTokens: Int
    public var actualTokens: Int
}

/// How good a workflow's estimates have been.
public struct CalibrationReport: Sendable, Hashable, Codable {
    public var workflow: String
    public var runs: Int
    /// Share of runs whose actual cost was at most the p95 estimate (0...1); the p95 is honest
    /// when this is at least 0.95 over many runs, useful when at least 0.9.
    public var p95Coverage: Double
    /// Share of runs whose actual cost was at most the worst-case estimate (should be 1).
    public var worstCaseCoverage: Double
    /// Mean absolute percentage error of the expected cost against the actual (0.12 = 12 %).
    public var expectedCostMAPE: Double

    /// Reports per workflow, sorted by name; only `workflow` when given.
    public static func reports(from records: [CalibrationRecord], workflow: String? = nil) -> [CalibrationReport] {
        let groups = Dictionary(grouping: records.filter { workflow == nil || $0.workflow == workflow }, by: \.workflow)
        return groups.keys.sorted().map { name in
            let runs = groups[name]!
            let covered = runs.filter { $0.actualCost <= $0.p95Cost }.count
            let bounded = runs.filter { $0.actualCost <= $0.worstCaseCost }.count
            let errors = runs.compactMap { run -> Double? in
                guard run.actualCost.micros > 0 else { return nil }
                return abs(Double(run.expectedCost.micros - run.actualCost.micros)) / Double(run.actualCost.micros)
            }
            return CalibrationReport(
                workflow: name, runs: runs.count, p95Coverage: Double(covered) / Double(runs.count),
                worstCaseCoverage: Double(bounded) / Double(runs.count),
                expectedCostMAPE: errors.isEmpty ? 0 : errors.reduce(0, +) / Double(errors.count))
        }
    }
}

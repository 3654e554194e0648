@testable import Purser
import Testing

/// The estimator picks quantiles by selection rather than sorting; it must agree with sorting.
@Suite("Quantiles by selection")
struct QuantileTests {
    @Test(arguments: [1, 2, 3, 10, 99, 100, 500, 1001])
    func selectionAgreesWithSorting(count: Int) {
        var random = SplitMix64(seed: UInt64(count))
        for round in 0..<20 {
            let spread = UInt64(round % 3 == 0 ? 5 : 10_000)
            let values = (0..<count).map { _ in Int(random.next() % spread) }
            let sorted = values.sorted()
            func rank(_ q: Double) -> Int { min(max(Int((q * Double(count)).rounded(.up)) - 1, 0), count - 1) }
            let (p50, p95) = Estimator.medianAndP95(values[...])
            #expect(p50 == sorted[rank(0.5)])
            #expect(p95 == sorted[rank(0.95)])
        }
    }

    @Test func stepPathsDropInstanceMarkers() {
        #expect(StepPath.of(key: "clauses[3]/assess") == "clauses/assess")
        #expect(StepPath.of(key: "research#2") == "research")
        #expect(StepPath.of(key: "research#2/calculator#2") == "research/calculator")
        #expect(StepPath.of(key: "outer[1]/inner[22]/step") == "outer/inner/step")
        #expect(StepPath.of(key: "brief/brief") == "brief/brief")
    }

    @Test func observationWindowsKeepTheMostRecentValues() {
        var window = ObservationWindow(capacity: 3)
        for value in [1, 2, 3, 4, 5] { window.add(value) }
        #expect(window.values.sorted() == [3, 4, 5])
        #expect(window.total == 5)
        #expect(window.quantile(0) == 3)
        #expect(window.quantile(1) == 5)
        #expect(window.mean == 4)
    }
}

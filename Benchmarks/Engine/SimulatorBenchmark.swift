import Purser

/// The simulator's own cost per call, outside the engine, on a prompt shaped like the
/// sequential benchmark's (the previous step's answer), so it can be subtracted from the
/// engine-with-simulator numbers.
struct SimulatorBenchmark {
    let calls: Int

    func run() async throws -> Double {
        let provider = SimulatedProvider(speed: .instant)
        let tier = SimulatorCatalog.tiers[0]
        var previous = "budgets"
        var samples: [Double] = []
        for round in 0..<6 {
            let clock = ContinuousClock()
            let start = clock.now
            for _ in 0..<calls {
                let request = ModelRequest(messages: [.user("Continue from: \(previous)")], maxOutputTokens: 64)
                previous = try await provider.complete(request, on: tier).text
            }
            if round > 0 { samples.append((clock.now - start).seconds / Double(calls)) }
        }
        return samples.sorted()[samples.count / 2]
    }
}

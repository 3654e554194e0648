import Foundation

/// The whole machine's CPU time by kind, from `/proc/stat`, so that a measurement says what
/// else the cores were doing. These machines are virtual and of more than one model: the same
/// build measured about 2,000 runs/s at 16 clients on one and 3,100–3,800 on another, and on
/// one machine its speed moves by a third within minutes. Idle time says whether the clients
/// kept the cores busy; steal says whether the hypervisor gave the time to other guests (under
/// 3% in the slow phases seen on 2026-12-01, so those were slower instructions, not lost time).
/// A rate read without this cannot tell a slower build from a busier host.
struct MachineTime {
    /// Clock ticks spent idle (including waiting for I/O), taken by the hypervisor (steal),
    /// and in all.
    var idle: UInt64 = 0
    var steal: UInt64 = 0
    var total: UInt64 = 0

    /// Now, or zeros where there is no `/proc/stat` (the shares then read as unknown).
    static func now() -> MachineTime {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = text.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return MachineTime() }
        // user nice system idle iowait irq softirq steal guest guest_nice; guest time is
        // already counted in user and nice.
        let fields = line.split(separator: " ").dropFirst().prefix(8).compactMap { UInt64($0) }
        guard fields.count == 8 else { return MachineTime() }
        return MachineTime(idle: fields[3] + fields[4], steal: fields[7], total: fields.reduce(0, +))
    }

    /// The shares of the machine's time between `start` and `end`, in percent; nil when unknown.
    static func shares(from start: MachineTime, to end: MachineTime) -> (idle: Double, steal: Double)? {
        guard end.total > start.total else { return nil }
        let total = Double(end.total - start.total)
        return (Double(end.idle - start.idle) / total * 100, Double(end.steal - start.steal) / total * 100)
    }

    /// The processor's model name and the cores this process may use: "AMD EPYC, 2 cores".
    static var processor: String {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let model = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces)
        return "\(model ?? "unknown processor"), \(cores) core\(cores == 1 ? "" : "s")"
    }
}

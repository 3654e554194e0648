import Purser

extension RunHandle {
    /// Every event of the run, once it has ended.
    public func collectEvents() async -> [RunEvent] {
        var collected: [RunEvent] = []
        for await event in events { collected.append(event) }
        return collected
    }
}

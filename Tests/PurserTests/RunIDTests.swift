import Foundation
import Testing

@testable import Purser

@Suite("Run ids")
struct RunIDTests {
    @Test("an id is run_ and 20 hex digits, the first 12 the milliseconds it was made at")
    func shape() throws {
        let id = RunID.random(at: 0x0193_7A2B_C4D5)
        #expect(id.rawValue.count == 24)
        #expect(id.rawValue.hasPrefix("run_01937a2bc4d5"))
        #expect(id.rawValue.dropFirst(4).allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(RunID.random(at: 5).rawValue.hasPrefix("run_000000000005"))
    }

    @Test("ids made later sort later, whatever their random part, so the ledger's indexes grow at their end")
    func timeOrdered() {
        let earlier = (0..<50).map { _ in RunID.random(at: 1_764_460_800_000) }
        let later = (0..<50).map { _ in RunID.random(at: 1_764_460_800_001) }
        #expect(earlier.allSatisfy { first in later.allSatisfy { first < $0 } })
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        let made = RunID.random()
        let stamp = UInt64(made.rawValue.dropFirst(4).prefix(12), radix: 16) ?? 0
        #expect(stamp >= now && stamp < now + 60_000)
    }

    @Test("ids one process makes in the same millisecond all differ")
    func unique() {
        let ids = Set((0..<10_000).map { _ in RunID.random(at: 42) })
        #expect(ids.count == 10_000)
    }
}

import Foundation

/// One text × encoding measurement, Swift and (optionally) Python side by side.
struct BenchmarkRow {
    let text: String
    let encoding: String
    let bytes: Int
    let swift: SwiftMeasurement
    let reference: ReferenceMeasurement?
    /// Time to get the bundled tokenizer (parse on first use, cached after).
    let loadMilliseconds: Double

    var encodeMBps: Double { Double(bytes) / 1e6 / swift.encodeSeconds }
    var countMBps: Double { Double(bytes) / 1e6 / swift.countSeconds }
    var referenceMBps: Double? { reference.map { Double(bytes) / 1e6 / $0.medianSeconds } }
}

/// Renders the rows as a Markdown table or as JSON.
struct BenchmarkReport {
    let rows: [BenchmarkRow]
    let runs: Int
    let referenceNote: String?

    var markdown: String {
        var lines = [
            "Tokenizer throughput, MB/s (10^6 bytes/s), single thread, median of \(runs) runs after a warm-up",
            "",
            "| text | encoding | size | tokens | Swift encode | Swift count | tiktoken encode_ordinary | encode ratio | count ratio | counts equal |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for row in rows {
            let reference = row.referenceMBps.map { format($0) } ?? "–"
            let encodeRatio = row.referenceMBps.map { format(row.encodeMBps / $0) + "×" } ?? "–"
            let countRatio = row.referenceMBps.map { format(row.countMBps / $0) + "×" } ?? "–"
            let equal = row.reference.map { $0.tokens == row.swift.tokens ? "yes" : "**NO** (\($0.tokens))" } ?? "–"
            lines.append(
                "| \(row.text) | \(row.encoding) | \(format(Double(row.bytes) / 1e6)) MB | \(row.swift.tokens) | "
                    + "\(format(row.encodeMBps)) | \(format(row.countMBps)) | \(reference) | \(encodeRatio) | \(countRatio) | \(equal) |")
        }
        var loads: [String] = []
        for row in rows where !loads.contains(where: { $0.hasPrefix(row.encoding) }) {
            loads.append("\(row.encoding) \(format(row.loadMilliseconds)) ms")
        }
        lines.append("")
        lines.append("Vocabulary load (first use, parse included): " + loads.joined(separator: ", ") + ".")
        if let version = rows.compactMap(\.reference).first?.tiktokenVersion {
            lines.append("Reference: Python tiktoken \(version), `encode_ordinary`.")
        }
        if let referenceNote { lines.append("Note: \(referenceNote)") }
        return lines.joined(separator: "\n")
    }

    var json: String {
        let objects: [[String: Any]] = rows.map { row in
            var object: [String: Any] = [
                "text": row.text, "encoding": row.encoding, "bytes": row.bytes, "tokens": row.swift.tokens,
                "swiftEncodeMBps": round(row.encodeMBps), "swiftCountMBps": round(row.countMBps),
                "loadMilliseconds": round(row.loadMilliseconds),
            ]
            if let reference = row.reference, let mbps = row.referenceMBps {
                object["referenceTokens"] = reference.tokens
                object["referenceMBps"] = round(mbps)
                object["encodeRatio"] = round(row.encodeMBps / mbps)
                object["countRatio"] = round(row.countMBps / mbps)
                object["countsEqual"] = reference.tokens == row.swift.tokens
            }
            return object
        }
        var root: [String: Any] = ["runs": runs, "results": objects]
        if let referenceNote { root["referenceNote"] = referenceNote }
        let data = (try? JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private func format(_ value: Double) -> String { String(format: "%.2f", value) }
    private func round(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}

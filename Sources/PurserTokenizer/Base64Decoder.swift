/// Decodes standard, padded base64 (RFC 4648 §4), the encoding of every token in a
/// tiktoken rank file.
///
/// Written by hand because Foundation's decoder allocates a `Data` per call and
/// the loader decodes 200,000 short tokens; this appends straight into the one
/// buffer that will hold all token bytes.
enum Base64Decoder {
    /// Sextet value of each ASCII byte; 0xFF marks a byte outside the alphabet.
    private static let sextets: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()

    private static let padding = UInt8(ascii: "=")

    /// Appends the bytes encoded by `field` to `output`. Returns false (leaving
    /// `output` possibly extended; the caller discards it) when `field` is not a
    /// whole number of 4-character groups, contains a byte outside the alphabet,
    /// or has padding anywhere but at the end.
    static func decode(_ field: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) -> Bool {
        let count = field.count
        guard count > 0, count % 4 == 0 else { return false }
        var paddingCount = 0
        if field[count - 1] == padding { paddingCount += 1 }
        if field[count - 2] == padding { paddingCount += 1 }
        return sextets.withUnsafeBufferPointer { table -> Bool in
            var index = 0
            while index < count {
                let isLastGroup = index + 4 == count
                let c0 = table[Int(field[index])], c1 = table[Int(field[index + 1])]
                let raw2 = field[index + 2], raw3 = field[index + 3]
                guard c0 != 0xFF, c1 != 0xFF else { return false }
                output.append(c0 << 2 | c1 >> 4)
                if isLastGroup && paddingCount == 2 {
                    return raw2 == padding && raw3 == padding
                }
                let c2 = table[Int(raw2)]
                guard c2 != 0xFF else { return false }
                output.append(c1 << 4 | c2 >> 2)
                if isLastGroup && paddingCount == 1 {
                    return raw3 == padding
                }
                let c3 = table[Int(raw3)]
                guard c3 != 0xFF else { return false }
                output.append(c2 << 6 | c3)
                index += 4
            }
            return true
        }
    }
}

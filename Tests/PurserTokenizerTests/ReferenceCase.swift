/// One line of a reference file: a text and the ids Python tiktoken gave for it.
struct ReferenceCase: Sendable, Decodable {
    /// The encoding as spelled in the file (`cl100k_base`, `o200k_base`).
    let encoding: String
    let text: String
    let ids: [Int]
}

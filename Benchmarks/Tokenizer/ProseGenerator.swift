/// Deterministic English-like prose: sentences from a fixed word list with
/// capitals, commas, contractions, quotes, parentheses, numbers, years and
/// amounts, in paragraphs. Close enough to real text in piece lengths and in how
/// often words are whole tokens that throughput measured on it is meaningful.
struct ProseGenerator {
    private static let words: [String] = """
        the of and to in a is that for it as was with be by on not he this are or his from at which but \
        have an they you were her she there one all we their been has when who will more no if out so said \
        what up its about into than them can only other new some could time these two may then do first any \
        my now such like our over man me even most made after also did many before must through back years \
        where much your way well down should because each just those people how too little state good very \
        make world still own see men work long get here between both life being under never day same another \
        know while last might us great old year off come since against go came right used take three system \
        government development economic population management information technology environment relationship \
        understanding approximately responsibility infrastructure international interpretation characteristic \
        photosynthesis extraordinary unbelievable counterintuitive misunderstanding reconsideration
        """.split(separator: " ").map(String.init)
    private static let contractions = ["don't", "it's", "we're", "they've", "I'm", "you'll", "he'd", "can't", "isn't"]
    private static let names = ["Alice", "Bob", "London", "Paris", "Dr. Smith", "NASA", "Monday", "September", "O'Brien"]

    var rng: SplitMix64

    /// Appends paragraphs until `text` holds at least `byteCount` UTF-8 bytes.
    mutating func generate(byteCount: Int) -> String {
        var text = ""
        text.reserveCapacity(byteCount + 1024)
        while text.utf8.count < byteCount {
            let sentences = Int.random(in: 3...8, using: &rng)
            for index in 0..<sentences {
                if index > 0 { text += " " }
                text += sentence()
            }
            text += "\n\n"
        }
        return text
    }

    private mutating func sentence() -> String {
        let length = Int.random(in: 5...22, using: &rng)
        var parts: [String] = []
        for index in 0..<length {
            parts.append(word(capitalized: index == 0))
            if index > 0 && index < length - 1 && Int.random(in: 0..<9, using: &rng) == 0 { parts[index] += "," }
        }
        if Int.random(in: 0..<6, using: &rng) == 0 {
            parts.insert("(" + rng.pick(Self.words) + ")", at: parts.count / 2)
        }
        if Int.random(in: 0..<7, using: &rng) == 0 {
            parts.insert("\"" + word(capitalized: true) + " " + word(capitalized: false) + "\"", at: parts.count / 2)
        }
        let ends = [".", ".", ".", ".", "?", "!", ";", ":"]
        return parts.joined(separator: " ") + rng.pick(ends)
    }

    private mutating func word(capitalized: Bool) -> String {
        switch Int.random(in: 0..<40, using: &rng) {
        case 0: return String(Int.random(in: 1900...2030, using: &rng))
        case 1: return "$" + String(Int.random(in: 1...9999, using: &rng)) + "." + String(Int.random(in: 10...99, using: &rng))
        case 2: return String(Int.random(in: 1...999_999, using: &rng))
        case 3, 4: return rng.pick(Self.contractions)
        case 5, 6: return rng.pick(Self.names)
        default:
            let word = rng.pick(Self.words)
            return capitalized ? word.prefix(1).uppercased() + word.dropFirst() : word
        }
    }
}

/// Everything wrong with a workflow, found in one pass, so a workflow with three
/// mistakes reports three.
public struct WorkflowValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Problem: Sendable, Hashable, Codable, CustomStringConvertible {
        public struct Kind: RawRepresentable, Sendable, Hashable, Codable {
            public let rawValue: String
            public init(rawValue: String) { self.rawValue = rawValue }

            public static let duplicateStepID = Kind(rawValue: "duplicateStepID")
            public static let invalidStepID = Kind(rawValue: "invalidStepID")
            public static let unknownReference = Kind(rawValue: "unknownReference")
            public static let laterReference = Kind(rawValue: "laterReference")
            public static let invisibleReference = Kind(rawValue: "invisibleReference")
            public static let malformedTemplate = Kind(rawValue: "malformedTemplate")
            public static let unboundedFanOut = Kind(rawValue: "unboundedFanOut")
            public static let unboundedLoop = Kind(rawValue: "unboundedLoop")
            public static let unknownTool = Kind(rawValue: "unknownTool")
            public static let unsatisfiableNeeds = Kind(rawValue: "unsatisfiableNeeds")
            public static let invalidBound = Kind(rawValue: "invalidBound")
            public static let emptyWorkflow = Kind(rawValue: "emptyWorkflow")
        }

        public let kind: Kind
        /// The step at fault, when there is one.
        public let stepID: String?
        public let message: String

        public var description: String {
            stepID.map { "step '\($0)': \(message)" } ?? message
        }
    }

    public let workflow: String
    public let problems: [Problem]

    public var description: String {
        "workflow '\(workflow)' has \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
            + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

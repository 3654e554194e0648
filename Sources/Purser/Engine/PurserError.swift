/// A failure a user can cause or must act on, with a stable ``code`` (the CLI's exit code and
/// the API's problem type derive from it) and a message that says what to do.
public struct PurserError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// Stable names for failure classes; new codes may be added.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let invalidInput = Code(rawValue: "invalidInput")
        public static let invalidWorkflow = Code(rawValue: "invalidWorkflow")
        public static let unknownWorkflow = Code(rawValue: "unknownWorkflow")
        public static let budgetExceeded = Code(rawValue: "budgetExceeded")
        public static let noTierMeetsNeeds = Code(rawValue: "noTierMeetsNeeds")
        public static let providerFailure = Code(rawValue: "providerFailure")
        public static let toolFailure = Code(rawValue: "toolFailure")
        public static let invalidModelOutput = Code(rawValue: "invalidModelOutput")
        public static let fanOutExceeded = Code(rawValue: "fanOutExceeded")
        public static let cancelled = Code(rawValue: "cancelled")
        public static let timedOut = Code(rawValue: "timedOut")
        public static let `internal` = Code(rawValue: "internal")
    }

    public var code: Code
    public var message: String
    /// The step instance that failed, when one did.
    public var stepKey: String?
    /// Whether trying the same thing again may succeed.
    public var isRetryable: Bool

    public init(_ code: Code, _ message: String, stepKey: String? = nil, isRetryable: Bool = false) {
        self.code = code
        self.message = message
        self.stepKey = stepKey
        self.isRetryable = isRetryable
    }

    public var description: String {
        stepKey.map { "step '\($0)': \(message)" } ?? message
    }

    /// Wraps any error the engine met into a `PurserError`, keeping its retry hint.
    static func wrapping(_ error: any Error, stepKey: String?) -> PurserError {
        switch error {
        case var error as PurserError:
            if error.stepKey == nil { error.stepKey = stepKey }
            return error
        case let error as ProviderError:
            return PurserError(.providerFailure, error.description, stepKey: stepKey, isRetryable: error.isRetryable)
        case let error as ToolError:
            return PurserError(.toolFailure, error.description, stepKey: stepKey, isRetryable: error.isRetryable)
        case let error as NoTierError:
            return PurserError(
                error.isBudgetLimited ? .budgetExceeded : .noTierMeetsNeeds, error.description, stepKey: stepKey)
        case let error as BudgetExceededError:
            return PurserError(.budgetExceeded, error.description, stepKey: stepKey)
        case is CancellationError:
            return PurserError(.cancelled, "the run was cancelled", stepKey: stepKey)
        default:
            return PurserError(.internal, String(describing: error), stepKey: stepKey)
        }
    }
}

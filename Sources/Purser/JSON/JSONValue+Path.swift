extension JSONValue {
    /// The value at a dotted path below this one (`["items", "0", "name"]`): object
    /// members by name, array elements by decimal index. `nil` when any part is missing.
    public func value(at path: some Collection<Substring>) -> JSONValue? {
        var current = self
        for component in path {
            switch current {
            case .object(let members):
                guard let next = members[String(component)] else { return nil }
                current = next
            case .array(let items):
                guard let position = Int(component), items.indices.contains(position) else { return nil }
                current = items[position]
            default:
                return nil
            }
        }
        return current
    }
}

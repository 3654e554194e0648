import PurserCLI

/// The `purser` executable; the commands live in `PurserCLI` so tests can reach them.
@main
enum PurserMain {
    static func main() async {
        await PurserCommand.main()
    }
}

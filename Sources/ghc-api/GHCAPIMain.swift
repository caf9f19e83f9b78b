@main
struct GHCAPIMain { static func main() async {} }

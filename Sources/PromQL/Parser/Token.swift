/// A PromQL token and where it starts (byte offset into the query).
struct Token: Equatable {
    enum Kind: Equatable {
        case identifier(String)      // names, keywords, function names (may contain ':')
        case number(Double)
        case duration(Int64)         // milliseconds
        case string(String)
        case op(String)              // + - * / % ^ == != > < >= <= =~ !~ = , ( ) { } [ ] : @
        case end
    }

    let kind: Kind
    let offset: Int
}

import Testing
import TSDB

@Suite struct XXHash64Tests {
    /// Reference values of XXH64 with seed 0 (from the xxHash project's own test vectors).
    @Test func matchesReferenceVectors() {
        #expect(XXHash64.hash([]) == 0xEF46_DB37_51D8_E999)
        #expect(XXHash64.hash(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        #expect(XXHash64.hash(Array("Nobody inspects the spammish repetition".utf8)) == 0xFBCE_A83C_8A37_8BF1)
    }

    @Test func labelHashSortsNamesAndSeparatesWith0xFF() {
        let direct = XXHash64.hash(Array("a".utf8) + [0xff] + Array("1".utf8) + [0xff] + Array("b".utf8) + [0xff] + Array("2".utf8) + [0xff])
        #expect(XXHash64.labelsHash([("b", "2"), ("a", "1")]) == direct)
    }
}

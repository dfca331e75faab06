/**
 * Pure decoders and encoders for the Win32 structures devlaunch reads and writes (64-bit
 * layouts: x64 and arm64). Kept free of FFI so they are tested on Linux with hand-built bytes.
 */

/** sizeof(PROCESSENTRY32W) on 64-bit Windows. */
export const PROCESSENTRY32W_SIZE = 568;
/** sizeof(JOBOBJECT_EXTENDED_LIMIT_INFORMATION) on 64-bit Windows. */
export const EXTENDED_LIMIT_INFO_SIZE = 144;
/** Ends every process of the job when its last handle is closed. */
export const JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x2000;
export const JOB_OBJECT_LIMIT_BREAKAWAY_OK = 0x0800;
export const JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK = 0x1000;

/** UTF-16LE text of `buf[start, start + bytes)`, cut at the first NUL. */
export function decodeUtf16(buf: Buffer, start: number, bytes: number): string {
  const text = buf.toString('utf16le', start, Math.min(buf.length, start + bytes));
  const nul = text.indexOf('\0');
  return nul < 0 ? text : text.slice(0, nul);
}

/**
 * PROCESSENTRY32W: dwSize 0, cntUsage 4, th32ProcessID 8, th32DefaultHeapID 16 (pointer),
 * th32ModuleID 24, cntThreads 28, th32ParentProcessID 32, pcPriClassBase 36, dwFlags 40,
 * szExeFile 44 (260 WCHARs).
 */
export function decodeProcessEntry(entry: Buffer): { pid: number; ppid: number; exe: string } {
  return {
    pid: entry.readUInt32LE(8),
    ppid: entry.readUInt32LE(32),
    exe: decodeUtf16(entry, 44, 520),
  };
}

/**
 * JOBOBJECT_EXTENDED_LIMIT_INFORMATION with only KILL_ON_JOB_CLOSE: no BREAKAWAY_OK and no
 * SILENT_BREAKAWAY_OK, so no process of the job can start a child outside it. LimitFlags is
 * at offset 16 of the basic limits (after two LARGE_INTEGER time limits).
 */
export function extendedLimitInfo(): Buffer {
  const info = Buffer.alloc(EXTENDED_LIMIT_INFO_SIZE);
  info.writeUInt32LE(JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, 16);
  return info;
}

/** JOBOBJECT_BASIC_ACCOUNTING_INFORMATION.ActiveProcesses (offset 40). */
export function decodeAccountingActive(buf: Buffer): number {
  return buf.readUInt32LE(40);
}

/**
 * JOBOBJECT_BASIC_PROCESS_ID_LIST: NumberOfAssignedProcesses 0, NumberOfProcessIdsInList 4,
 * then ULONG_PTR pids from offset 8.
 */
export function decodeJobPids(buf: Buffer): number[] {
  const count = buf.readUInt32LE(4);
  const pids: number[] = [];
  for (let i = 0; i < count && 8 + 8 * i + 8 <= buf.length; i++) {
    pids.push(Number(buf.readBigUInt64LE(8 + 8 * i)));
  }
  return pids;
}

/**
 * The UNICODE_STRING NtQueryInformationProcess(ProcessCommandLineInformation) writes: Length
 * (bytes) at 0, Buffer (a pointer, usually just past the header in the same block) at 8.
 * `read(ptr, len)` reads `len` bytes at a native address.
 */
export function decodeCommandLine(
  buf: Buffer,
  read: (ptr: bigint, len: number) => Buffer,
): string | null {
  const length = buf.readUInt16LE(0);
  const ptr = buf.readBigUInt64LE(8);
  if (length === 0 || ptr === 0n) return null;
  return decodeUtf16(read(ptr, length), 0, length);
}

/**
 * A binary SID as its string form `S-1-5-21-...`: revision (byte 0), sub-authority count
 * (byte 1), a 48-bit big-endian identifier authority (bytes 2-7), then 32-bit little-endian
 * sub-authorities. null for bytes that are not a SID.
 */
export function decodeSid(buf: Buffer): string | null {
  if (buf.length < 8) return null;
  const revision = buf.readUInt8(0);
  const count = buf.readUInt8(1);
  if (revision !== 1 || count > 15 || buf.length < 8 + 4 * count) return null;
  const authority = buf.readUIntBE(2, 6);
  const parts = [`S-${revision}-${authority}`];
  for (let i = 0; i < count; i++) parts.push(String(buf.readUInt32LE(8 + 4 * i)));
  return parts.join('-');
}

/** FILETIME (100 ns since 1601-01-01, decimal) to ms since the epoch. */
export function fileTimeToMs(fileTime: string): number {
  return Number(BigInt(fileTime) / 10_000n) - 11_644_473_600_000;
}

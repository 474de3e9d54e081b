/** Streams whose summary is easy to get wrong: cut before the end, deltas only, no event at all, an error frame. */
export function hostileRecordings(): Array<readonly [string, string]> {
  const created = 'data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_x","model":"m","status":"in_progress","output":[]}}\n\n';
  const delta = 'data: {"type":"response.output_text.delta","sequence_number":1,"item_id":"msg","output_index":0,"content_index":0,"delta":"hi"}\n\n';
  return [
    ['a stream cut after its first events', created + delta],
    ['deltas only (a resumed stream)', delta + delta],
    ['no Responses event', 'data: {"hello":"world"}\n\n'],
    ['an error frame', created + 'event: error\ndata: {"type":"error","message":"quota","code":"insufficient_quota"}\n\n'],
    ['a failed response', created + 'data: {"type":"response.failed","sequence_number":2,"response":{"id":"resp_x","model":"m","status":"failed","output":[],"error":{"code":"server_error","message":"x"}}}\n\n'],
  ];
}

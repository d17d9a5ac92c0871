// Package mapping defines how koppel syncs fields between HubSpot and
// Salesforce. It contains the default and custom field mappings, the sync
// rule of each mapping, the HubSpot property types that fit each
// Salesforce field type, and the conversion of values between both wire
// formats and one canonical [Value].
//
// Everything here is pure: no I/O, no clock, no global state. The sync
// engine reads records, converts each mapped field with a [Converter],
// calls [Decide] with the stored base value, and converts the decided
// value back to the target's wire format.
//
// Conversion never truncates, rounds or shifts a date. A value that does
// not fit the target field becomes a [*PropertyValueError] with a stable
// code, so the engine can park the record and the UI can translate the
// message.
package mapping

import styled from 'styled-components';

/** The ml-apps forms' grid: a label column and an input column. */
export const Form = styled.form`
  background: #fff;
  border-radius: 4px;
  padding: 16px 20px;
  display: grid;
  grid-template-columns: 180px 1fr;
  gap: 10px 16px;
  align-items: center;
  label {
    color: #36435c;
  }
  input,
  select,
  textarea {
    height: 32px;
    border: 1px solid #ccd3db;
    border-radius: 4px;
    padding: 0 8px;
    max-width: 420px;
  }
  textarea {
    height: 64px;
  }
`;
export const FormError = styled.div`
  grid-column: 1 / 3;
  color: #ca2621;
`;
